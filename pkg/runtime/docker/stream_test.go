package docker_test

import (
	"bufio"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// TestStopSignal checks that a stop signal other than the container's own is
// delivered, also on engines that ignore the stop request's signal (20.10).
func TestStopSignal(t *testing.T) {
	h := newHarness(t)
	script := `trap "exit 7" USR1; echo ready; while true; do sleep 0.1; done`
	id := h.create(runtime.ContainerSpec{Image: h.image("busybox"), Cmd: []string{"sh", "-c", script}})
	h.start(id)
	waitFor(t, "the trap to be set", func() bool { return h.logs(id, runtime.LogOptions{}) == "ready\n" })
	if err := h.eng.StopContainer(h.ctx, id, "SIGUSR1", 10*time.Second); err != nil {
		t.Fatalf("stopping with SIGUSR1: %v", err)
	}
	if c := h.waitState(id, runtime.StateExited); c.ExitCode != 7 {
		t.Errorf("exit code = %d, want 7 from the USR1 trap", c.ExitCode)
	}
	if err := h.eng.StopContainer(h.ctx, id, "SIGUSR1", time.Second); err != nil {
		t.Errorf("stopping a stopped container: %v, want nil", err)
	}
}

// TestStopSignalIgnored checks the kill after the grace period.
func TestStopSignalIgnored(t *testing.T) {
	h := newHarness(t)
	script := `trap "" USR1; echo ready; while true; do sleep 0.1; done`
	id := h.create(runtime.ContainerSpec{Image: h.image("busybox"), Cmd: []string{"sh", "-c", script}})
	h.start(id)
	waitFor(t, "the trap to be set", func() bool { return h.logs(id, runtime.LogOptions{}) == "ready\n" })
	if err := h.eng.StopContainer(h.ctx, id, "SIGUSR1", time.Second); err != nil {
		t.Fatalf("stopping: %v", err)
	}
	if c := h.waitState(id, runtime.StateExited); c.ExitCode != 137 {
		t.Errorf("exit code = %d, want 137 (killed)", c.ExitCode)
	}
}

func TestLogs(t *testing.T) {
	h := newHarness(t)
	// Docker orders lines within a stream only, so stdout comes last, alone.
	script := `echo out 1; echo err 2 >&2; sleep 0.3; echo out 3; echo out 4`
	id := h.create(runtime.ContainerSpec{Image: h.image("busybox"), Cmd: []string{"sh", "-c", script}})
	h.start(id)
	h.waitState(id, runtime.StateExited)
	if got, want := sortedLines(h.logs(id, runtime.LogOptions{})), "err 2\nout 1\nout 3\nout 4"; got != want {
		t.Errorf("all logs, sorted = %q, want %q", got, want)
	}
	if got, want := h.logs(id, runtime.LogOptions{Tail: 2}), "out 3\nout 4\n"; got != want {
		t.Errorf("last 2 lines = %q, want %q", got, want)
	}
}

func TestLogsFollow(t *testing.T) {
	h := newHarness(t)
	script := `echo first; sleep 30`
	id := h.create(runtime.ContainerSpec{Image: h.image("busybox"), Cmd: []string{"sh", "-c", script}})
	h.start(id)
	rc, err := h.eng.Logs(h.ctx, id, runtime.LogOptions{Follow: true})
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(rc).ReadString('\n')
	if line != "first\n" || err != nil {
		t.Errorf("followed line = %q, %v", line, err)
	}
	done := make(chan error)
	go func() { _, err := io.ReadAll(rc); done <- err }()
	rc.Close() // must end the follow while the container still runs
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("closing a followed log stream did not end it")
	}
}

func TestAttachTTY(t *testing.T) {
	h := newHarness(t)
	id := h.create(runtime.ContainerSpec{
		Image: h.image("busybox"), Cmd: []string{"sh"}, Tty: true, OpenStdin: true, StdinOnce: true,
	})
	conn, err := h.eng.Attach(h.ctx, id)
	if err != nil {
		t.Fatalf("attaching: %v", err)
	}
	defer conn.Close()
	h.start(id)
	if err := h.eng.ResizeTTY(h.ctx, id, 33, 99); err != nil {
		t.Fatalf("resizing: %v", err)
	}
	io.WriteString(conn, "stty size; echo sum=$((6*7)); exit 5\n")
	out, _ := io.ReadAll(conn) // ends when the shell exits
	if !strings.Contains(string(out), "33 99") || !strings.Contains(string(out), "sum=42") {
		t.Errorf("terminal output = %q, want the size 33 99 and sum=42", out)
	}
	if c := h.waitState(id, runtime.StateExited); c.ExitCode != 5 || !c.Tty {
		t.Errorf("after exit: code %d, tty %v; want 5, true", c.ExitCode, c.Tty)
	}
}

func TestAttachPipes(t *testing.T) {
	h := newHarness(t)
	id := h.create(runtime.ContainerSpec{
		Image: h.image("busybox"), Cmd: []string{"sh", "-c", "read line; echo got $line; echo oops >&2"},
		OpenStdin: true, StdinOnce: true,
	})
	conn, err := h.eng.Attach(h.ctx, id)
	if err != nil {
		t.Fatalf("attaching: %v", err)
	}
	defer conn.Close()
	h.start(id)
	io.WriteString(conn, "hello\n")
	conn.(interface{ CloseWrite() error }).CloseWrite()
	out, _ := io.ReadAll(conn)
	if got, want := sortedLines(string(out)), "got hello\noops"; got != want {
		t.Errorf("demultiplexed output, sorted = %q, want %q", got, want)
	}
}

func sortedLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
