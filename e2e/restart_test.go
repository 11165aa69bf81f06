package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// load sends GETs to url from conns clients of ours until stop is closed (and at most
// for two minutes), counting answers and failures.
type load struct {
	ok, failed atomic.Int64
	mu         sync.Mutex
	errs       []string
	wg         sync.WaitGroup
}

func startLoad(url string, conns int, stop <-chan struct{}) *load {
	l := &load{}
	deadline := time.Now().Add(2 * time.Minute)
	for range conns {
		l.wg.Go(func() {
			c := &http.Client{Timeout: 20 * time.Second}
			for time.Now().Before(deadline) {
				select {
				case <-stop:
					return
				default:
				}
				l.one(c, url)
			}
		})
	}
	return l
}

func (l *load) one(c *http.Client, url string) {
	var reused bool
	var local string
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { reused = i.Reused; local = i.Conn.LocalAddr().String() }}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, url, nil)
	resp, err := c.Do(req)
	if err != nil {
		err = fmt.Errorf("%w (reused %v, from %s, at %s)", err, reused, local, time.Now().Format("15:04:05.000"))
	}
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %s", resp.Status)
		}
	}
	if err == nil {
		l.ok.Add(1)
		return
	}
	l.failed.Add(1)
	l.mu.Lock()
	l.errs = append(l.errs, err.Error())
	l.mu.Unlock()
}

// TestRestartUnderLoad: five `hangar agent restart`s while four clients keep requesting
// the app through its Flycast address lose no request, the app keeps resolving by name,
// and a WebSocket of the old agent stays open after the hand-off and is closed only
// when its drain time is over.
func TestRestartUnderLoad(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	e.extraEnv = []string{"HANGAR_DRAIN_TIMEOUT=3s"}
	name, dir, _, addr := deployedApp(t, e, "")
	ws := openWebSocket(t, addr, name+".flycast")
	defer ws.Close()
	stop := make(chan struct{})
	l := startLoad(fmt.Sprintf("http://[%s]/", addr), 4, stop)
	waitFor(t, "the load to get answers", func() bool { return l.ok.Load() > 20 })
	first := agentPID(t, e)
	for i := range 5 {
		out := e.must(dir, "agent", "restart").stderr
		if !strings.Contains(out, "Restarted the hangar agent") {
			t.Fatalf("restart %d: %s", i+1, out)
		}
		if i == 0 {
			assertOpen(t, ws, "right after the first restart")
		}
		before := l.ok.Load()
		waitFor(t, "answers from the new agent", func() bool { return l.ok.Load() > before+20 })
	}
	close(stop)
	l.wg.Wait()
	t.Logf("%d requests answered, %d failed over 5 restarts", l.ok.Load(), l.failed.Load())
	if n := l.failed.Load(); n > 0 {
		t.Errorf("%d requests failed during restarts, first: %v", n, l.errs[:min(len(l.errs), 5)])
	}
	if agentPID(t, e) == first {
		t.Error("the agent's pid did not change")
	}
	if got := getent(name + ".flycast"); !strings.Contains(got, addr) {
		t.Errorf("after the restarts %s.flycast no longer resolves on the host: %q", name, got)
	}
	waitFor(t, "the old agent's WebSocket to be cut after its drain time", func() bool { return closed(ws) })
}

// assertOpen fails unless conn is still open: a read waits and times out.
func assertOpen(t *testing.T, conn net.Conn, when string) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	_, err := conn.Read(make([]byte, 1))
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("the WebSocket was closed %s: %v", when, err)
	}
}

// closed reports whether the other end closed conn (a close frame or EOF).
func closed(conn net.Conn) bool {
	conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	_, err := conn.Read(make([]byte, 64))
	var ne net.Error
	return err == nil || !errors.As(err, &ne) || !ne.Timeout()
}

// TestRestartRunsTheReplacedBinary: `hangar agent restart` after installing a new binary
// at the agent's path runs the new file, as an upgrade needs.
func TestRestartRunsTheReplacedBinary(t *testing.T) {
	e := newEnv(t)
	bin := filepath.Join(t.TempDir(), "hangar")
	copyFile(t, hangarBin, bin)
	run := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "HANGAR_HOME="+e.home)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", bin, args, err, out)
		}
		return string(out)
	}
	run("agent", "start")
	old := agentPID(t, e)
	copyFile(t, hangarBin, bin+".new")
	if err := os.Rename(bin+".new", bin); err != nil { // as an installer replaces a binary
		t.Fatal(err)
	}
	run("agent", "restart")
	pid := agentPID(t, e)
	exe, err := os.Stat(fmt.Sprintf("/proc/%d/exe", pid))
	installed, _ := os.Stat(bin)
	if pid == old || err != nil || !os.SameFile(exe, installed) {
		t.Fatalf("after the restart agent %d (was %d) runs %v, not the binary now at %s", pid, old, err, bin)
	}
	run("agent", "stop")
}

func copyFile(t *testing.T, from, to string) {
	data, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to, data, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
}
