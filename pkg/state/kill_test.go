package state

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestKillDuringWritesLeavesConsistentState runs a writer in a child process, kills it
// with SIGKILL in the middle of its transactions, and checks what the file holds.
func TestKillDuringWritesLeavesConsistentState(t *testing.T) {
	for round := range 3 {
		t.Run(fmt.Sprint("round", round), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			acked := killWriterAfter(t, path, 20+round*30)
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Check(); err != nil {
				t.Fatal(err)
			}
			apps, _ := s.Apps("")
			// Every third commit also destroyed an earlier app.
			if want := acked - acked/3; len(apps) < want {
				t.Errorf("%d apps survived, want at least %d after %d acknowledged commits", len(apps), want, acked)
			}
		})
	}
}

// killWriterAfter starts the writer, waits for n committed apps, kills it, and returns
// how many commits it reported.
func killWriterAfter(t *testing.T, path string, n int) int {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
	cmd.Env = append(os.Environ(), "HANGAR_STATE_WRITER="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := 0
	sc := bufio.NewScanner(out)
	for acked < n && sc.Scan() {
		acked++
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	return acked
}

// TestHelperWriter is the child: it creates apps (each with an address) and destroys every
// third one, printing a line after each commit, until killed or 10 s pass.
func TestHelperWriter(t *testing.T) {
	path := os.Getenv("HANGAR_STATE_WRITER")
	if path == "" {
		t.Skip("only runs as the child of TestKillDuringWritesLeavesConsistentState")
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		name := fmt.Sprintf("app-%d", i)
		if _, _, err := s.CreateApp(NewApp{Name: name, PrivateV6: true}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if i%3 == 2 {
			s.DestroyApp(fmt.Sprintf("app-%d", i-1), time.Now())
		}
		fmt.Println("committed", name)
	}
}
