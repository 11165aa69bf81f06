package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// proxyModes are the agent's two ways of serving Flycast: `hangar proxy` needs neither
// routes nor root, so it must wake apps in both.
var proxyModes = []struct {
	name string
	env  func(t *testing.T) []string
}{
	{"routes", func(t *testing.T) []string { needRoot(t); return nil }},
	{"loopback", func(t *testing.T) []string {
		return []string{"HANGAR_FLYCAST_MODE=loopback", fmt.Sprintf("HANGAR_LOOPBACK_ADDR=127.0.0.1:%d", freePort(t))}
	}},
}

// TestProxyCmdWakesHTTPApp: `hangar proxy 0:80` to a stopped app; a GET through the
// printed local port is answered by the app, which is started again; Ctrl-C ends the
// proxy with status 0.
func TestProxyCmdWakesHTTPApp(t *testing.T) {
	needEngine(t)
	for _, mode := range proxyModes {
		t.Run(mode.name, func(t *testing.T) {
			e := newEnv(t)
			e.extraEnv = mode.env(t)
			name, dir, id, _ := deployedApp(t, e, "")
			stopMachine(t, e, dir, id)
			p := startProxy(t, e, dir, "proxy", "0:80", "-a", name)
			if p.remote != "["+name+".flycast]:80" {
				t.Errorf("Proxying line names %s, want [%s.flycast]:80", p.remote, name)
			}
			resp, err := (&http.Client{Timeout: 60 * time.Second}).Get("http://" + p.addr + "/?format=json")
			if err != nil {
				t.Fatalf("GET through hangar proxy: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), `"server_name":"`+id+`"`) {
				t.Errorf("GET through hangar proxy: %d %s", resp.StatusCode, body)
			}
			if m := machineByID(t, e, dir, id); m.State != "started" {
				t.Errorf("after the request: %+v, want the machine started", m)
			}
			p.stop(t)
		})
	}
}

// tcpService is a raw TCP [[services]] entry: Flycast port 5432 to the hello image's
// echo on 7000, woken and stopped like the HTTP service.
const tcpService = `[env]
  ECHO_PORT = '7000'

[[services]]
  internal_port = 7000
  protocol = 'tcp'
  auto_stop_machines = 'stop'
  auto_start_machines = true
  min_machines_running = 0

  [[services.ports]]
    port = 5432
    handlers = []`

// TestProxyCmdWakesTCPService: a raw TCP service woken from stopped through
// `hangar proxy 0:5432`, echoing with half-close; .internal names do not wake the app
// and say so, and reach the machine's own port once it runs; an unknown service port
// names the app's ports.
func TestProxyCmdWakesTCPService(t *testing.T) {
	needEngine(t)
	for _, mode := range proxyModes {
		t.Run(mode.name, func(t *testing.T) {
			e := newEnv(t)
			e.extraEnv = mode.env(t)
			name, dir, id, _ := deployedApp(t, e, tcpService)
			stopMachine(t, e, dir, id)

			internal := startProxy(t, e, dir, "proxy", "0:7000", name+".internal", "-a", name)
			want := fmt.Sprintf("Error: proxying a connection to [%s.internal]:7000: app %[1]s is asleep (no started machine answers %[1]s.internal): use %[1]s.flycast, which wakes it", name)
			if got := internal.failure(t); got != want {
				t.Errorf(".internal while asleep: %q, want %q", got, want)
			}

			flycast := startProxy(t, e, dir, "proxy", "0:5432", "-a", name)
			if got := echo(t, flycast.addr, "ping"); got != "pingEOF" {
				t.Errorf("through %s.flycast:5432: %q, want the echo, then the answer to the half-close", name, got)
			}
			if m := machineByID(t, e, dir, id); m.State != "started" {
				t.Errorf("after the connection: %+v, want the machine started", m)
			}
			if got := echo(t, internal.addr, "pong"); got != "pongEOF" {
				t.Errorf("through %s.internal:7000 once started: %q", name, got)
			}

			wrong := startProxy(t, e, dir, "proxy", "0:5433", "-a", name)
			want = fmt.Sprintf("Error: proxying a connection to [%s.flycast]:5433: app %[1]s has no service on port 5433: its service ports are 80, 5432", name)
			if got := wrong.failure(t); got != want {
				t.Errorf("unknown service port: %q, want %q", got, want)
			}
			for _, p := range []*proxyCmd{internal, flycast, wrong} {
				p.stop(t)
			}
		})
	}
}

func stopMachine(t *testing.T, e *env, dir, id string) {
	t.Helper()
	e.must(dir, "machine", "stop", id)
	waitFor(t, "the machine to stop", func() bool { return machineByID(t, e, dir, id).State == "stopped" })
}

// echo sends msg, half-closes, and returns everything the other side sent back.
func echo(t *testing.T, addr, msg string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := io.WriteString(c, msg); err != nil {
		t.Fatal(err)
	}
	c.(*net.TCPConn).CloseWrite()
	got, err := io.ReadAll(c)
	if err != nil {
		t.Errorf("reading from %s: %v", addr, err)
	}
	return string(got)
}

// proxyCmd is a running `hangar proxy` and the local address it printed.
type proxyCmd struct {
	cmd          *exec.Cmd
	addr, remote string
	stderr       *lockedBuffer
	done         chan error
	stopOnce     sync.Once
}

var proxyingLine = regexp.MustCompile(`^Proxying localhost:(\d+) to remote (\S+)\n$`)

// startProxy runs hangar with args in dir and waits for its Proxying line; the proxy
// is stopped when the test ends.
func startProxy(t *testing.T, e *env, dir string, args ...string) *proxyCmd {
	t.Helper()
	p := &proxyCmd{cmd: exec.Command(hangarBin, args...), stderr: &lockedBuffer{}, done: make(chan error, 1)}
	p.cmd.Dir, p.cmd.Stderr = dir, p.stderr
	p.cmd.Env = append(append(os.Environ(), "HANGAR_HOME="+e.home, "NO_COLOR=1"), e.extraEnv...)
	stdout, _ := p.cmd.StdoutPipe()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() { p.stop(t) })
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, stdout)
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(30 * time.Second):
	}
	e.record(dir, args, result{stdout: line, stderr: p.stderr.String()})
	m := proxyingLine.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("hangar %s printed %q, stderr %q", strings.Join(args, " "), line, p.stderr.String())
	}
	p.addr, p.remote = "127.0.0.1:"+m[1], m[2]
	return p
}

// failure opens one connection the agent refuses and returns the error line it gets.
func (p *proxyCmd) failure(t *testing.T) string {
	t.Helper()
	before := p.stderr.String()
	c, err := net.DialTimeout("tcp", p.addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("a refused connection read %d bytes, %v; want it closed", n, err)
	}
	var line string
	waitFor(t, "the error line", func() bool {
		line, _, _ = strings.Cut(strings.TrimPrefix(p.stderr.String(), before), "\n")
		return line != ""
	})
	return line
}

// stop sends SIGTERM, as a service manager (or Ctrl-C's SIGINT) would, and wants a
// clean exit; it runs once, from the test or its cleanup.
func (p *proxyCmd) stop(t *testing.T) {
	p.stopOnce.Do(func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-p.done:
			if err != nil {
				t.Errorf("hangar proxy after SIGTERM: %v, stderr %q", err, p.stderr.String())
			}
		case <-time.After(20 * time.Second):
			p.cmd.Process.Kill()
			t.Errorf("hangar proxy did not exit after SIGTERM")
		}
		if c, err := net.DialTimeout("tcp", p.addr, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts after the proxy exited", p.addr)
		}
	})
}

// lockedBuffer is a process's stderr, read while the process writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
