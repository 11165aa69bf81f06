package hostnames

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

const rounds = 200

// round is what installation id publishes in round i: a different address each time, so that a block
// overwritten with an older copy of itself shows.
func round(id string, i int) []Entry {
	return []Entry{{Name: "app-" + id + ".flycast", Addrs: []netip.Addr{netip.AddrFrom16([16]byte{0xfd, 0xaa, 15: byte(i)})}}}
}

// publishRounds publishes every round, the last one last.
func publishRounds(h *HostsFile, id string) error {
	for i := range rounds {
		if err := h.Publish(round(id, i)); err != nil {
			return err
		}
	}
	return nil
}

// checkLastRounds fails unless the file holds the user's lines and each installation's last round.
func checkLastRounds(t *testing.T, path string, ids ...string) {
	t.Helper()
	got := readFile(t, path)
	if !strings.HasPrefix(got, userLines) {
		t.Errorf("user's lines lost:\n%s", got)
	}
	for _, id := range ids {
		lines, _ := table(round(id, rounds-1))
		if want := renderBlock(id, "/home/u/.hangar", lines); !strings.Contains(got, want) {
			t.Errorf("installation %s's last update was lost; want\n%s\nin\n%s", id, want, got)
		}
	}
}

func TestHostsFileConcurrentPublishers(t *testing.T) {
	path, lockPath := hostsFixture(t, userLines)
	ids := []string{"a1", "b2", "c3"}
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		h := newHosts(t, path, id, lockPath)
		wg.Go(func() { errs <- publishRounds(h, id) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkLastRounds(t, path, ids...)
}

// TestHostsFileConcurrentProcesses runs this test binary twice at once as a publisher, as two agents would.
func TestHostsFileConcurrentProcesses(t *testing.T) {
	path, lockPath := hostsFixture(t, userLines)
	ids := []string{"a1", "b2"}
	var cmds []*exec.Cmd
	for _, id := range ids {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPublisher$")
		cmd.Env = append(os.Environ(), "HANGAR_HOSTNAMES_HELPER="+strings.Join([]string{path, lockPath, id}, "|"))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("publisher process: %v", err)
		}
	}
	checkLastRounds(t, path, ids...)
}

// TestHelperPublisher is the publisher process of TestHostsFileConcurrentProcesses; alone it does nothing.
func TestHelperPublisher(t *testing.T) {
	args, ok := os.LookupEnv("HANGAR_HOSTNAMES_HELPER")
	if !ok {
		t.Skip("run by TestHostsFileConcurrentProcesses")
	}
	a := strings.Split(args, "|")
	h, err := NewHostsFile(a[0], a[2], a[1], "/home/u/.hangar")
	if err == nil {
		err = publishRounds(h, a[2])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
