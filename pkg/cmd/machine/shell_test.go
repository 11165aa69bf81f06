package machine

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// wrappedConn is a connection wrapper like api.Attach's: it forwards CloseWrite explicitly.
type wrappedConn struct{ net.Conn }

func (w wrappedConn) CloseWrite() error { return w.Conn.(interface{ CloseWrite() error }).CloseWrite() }

// socketPair is two connected unix stream sockets, which can half-close.
func socketPair(t *testing.T) (net.Conn, net.Conn) {
	t.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	conns := make([]net.Conn, 2)
	for i, fd := range fds {
		f := os.NewFile(uintptr(fd), "socketpair")
		conns[i], err = net.FileConn(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conns[i].Close() })
	}
	return conns[0], conns[1]
}

// echoMachine answers like `cat` on a machine: everything it reads comes back, and it exits at end of input.
func echoMachine(conn net.Conn) {
	io.Copy(conn, conn)
	conn.Close()
}

// within fails the test if run does not return in time (a shell that never ends hangs).
func within(t *testing.T, run func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- run() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("the shell session did not end")
		return nil
	}
}

func notFound(app string) error {
	return &api.Error{Status: 404, Code: "app_not_found", Message: "app " + app + " not found"}
}

// TestShellPiped is `echo … | hangar machine run --shell ubuntu` with no app: the shells app is
// created, stdin reaches the machine, its end is passed on, and the output comes back whole.
func TestShellPiped(t *testing.T) {
	for _, wrap := range []bool{false, true} {
		t.Run(map[bool]string{false: "unix conn", true: "wrapped like api.Attach"}[wrap], func(t *testing.T) {
			io, in, out, errOut := iostreams.Test()
			io.SetTTY(false)
			in.WriteString("echo hi\nexit\n")
			local, remote := socketPair(t)
			go echoMachine(remote)
			var created []api.CreateAppRequest
			var ran api.RunMachineRequest
			fc := &fakeClient{
				getApp: func(app string) (api.App, error) { return api.App{}, notFound(app) },
				createApp: func(req api.CreateAppRequest) (api.CreateAppResponse, error) {
					created = append(created, req)
					return api.CreateAppResponse{}, nil
				},
				runMachine: func(app string, req api.RunMachineRequest) (api.Machine, error) {
					if app != shellsApp {
						t.Errorf("machine in app %q", app)
					}
					ran = req
					return api.Machine{ID: "5e11", State: "created"}, nil
				},
				attach: func(app, id string) (net.Conn, error) {
					if app != shellsApp || id != "5e11" {
						t.Errorf("Attach(%q, %q)", app, id)
					}
					if wrap {
						return wrappedConn{local}, nil
					}
					return local, nil
				},
				resize: func(string, string, int, int) error { t.Error("resized without a terminal"); return nil },
			}
			opts := &RunOptions{IO: io, Client: clientOf(fc), AppName: shellsApp, Image: "ubuntu", Cmd: []string{"/bin/sh"}, Shell: true}
			if err := within(t, func() error { return runRun(context.Background(), opts) }); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff("echo hi\nexit\n", out.String()); d != "" {
				t.Errorf("stdout (-want +got):\n%s", d)
			}
			if want := "Connected to machine 5e11 in app hangar-shells; it is destroyed when the shell exits.\n"; errOut.String() != want {
				t.Errorf("stderr = %q, want %q", errOut, want)
			}
			// piped stdin: no terminal in the machine, so the commands run in order and EOF ends the shell
			wantReq := api.RunMachineRequest{Image: "ubuntu", Cmd: []string{"/bin/sh"}, Tty: false, Interactive: true, AutoDestroy: true}
			if d := cmp.Diff(wantReq, ran); d != "" {
				t.Errorf("run request (-want +got):\n%s", d)
			}
			if d := cmp.Diff([]api.CreateAppRequest{{AppName: shellsApp, OrgSlug: "personal"}}, created); d != "" {
				t.Errorf("created apps (-want +got):\n%s", d)
			}
		})
	}
}

// TestShellMachineExitsFirst: the session ends when the machine does, even while stdin stays open.
func TestShellMachineExitsFirst(t *testing.T) {
	io, _, out, _ := iostreams.Test()
	stdin, stdinW := newPipe(t)
	io.In = stdin
	local, remote := net.Pipe()
	go func() { remote.Write([]byte("bye\r\n")); remote.Close() }()
	fc := &fakeClient{
		runMachine: func(string, api.RunMachineRequest) (api.Machine, error) { return api.Machine{ID: "m"}, nil },
		attach:     func(string, string) (net.Conn, error) { return local, nil },
	}
	opts := &RunOptions{IO: io, Client: clientOf(fc), AppName: "web", Image: "alpine", Cmd: []string{"/bin/sh"}, Shell: true}
	if err := within(t, func() error { return runRun(context.Background(), opts) }); err != nil {
		t.Fatal(err)
	}
	if out.String() != "bye\r\n" {
		t.Errorf("stdout = %q", out)
	}
	stdinW.Close() // releases the input goroutine, as the process exiting would
}

func newPipe(t *testing.T) (*io.PipeReader, *io.PipeWriter) {
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	return r, w
}

// fakeTerminal records what a session does to the local terminal.
type fakeTerminal struct {
	mu         sync.Mutex
	cols, rows int
	events     chan os.Signal
	log        []string
}

func (f *fakeTerminal) note(s string) { f.mu.Lock(); f.log = append(f.log, s); f.mu.Unlock() }

func (f *fakeTerminal) MakeRaw() (func(), error) {
	f.note("raw")
	return func() { f.note("restore") }, nil
}

func (f *fakeTerminal) Size() (int, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cols, f.rows, nil
}

func (f *fakeTerminal) ResizeEvents() (<-chan os.Signal, func()) {
	f.note("watch")
	return f.events, func() { f.note("unwatch") }
}

func (f *fakeTerminal) setSize(cols, rows int) {
	f.mu.Lock()
	f.cols, f.rows = cols, rows
	f.mu.Unlock()
}

// TestShellTerminal: raw mode for the session, the size sent once the machine runs and on every
// window change, and the terminal restored at the end.
func TestShellTerminal(t *testing.T) {
	io, _, out, _ := iostreams.Test()
	stdin, _ := newPipe(t)
	io.In = stdin
	local, remote := net.Pipe()
	term := &fakeTerminal{cols: 120, rows: 40, events: make(chan os.Signal, 1)}
	sizes := make(chan [2]int, 4)
	fc := &fakeClient{
		runMachine: func(string, api.RunMachineRequest) (api.Machine, error) { return api.Machine{ID: "m"}, nil },
		attach:     func(string, string) (net.Conn, error) { return local, nil },
		resize:     func(_, _ string, rows, cols int) error { sizes <- [2]int{rows, cols}; return nil },
	}
	go func() {
		remote.Write([]byte("/ # "))
		if got := <-sizes; got != [2]int{40, 120} {
			t.Errorf("first size = %v, want 40 rows 120 cols", got)
		}
		term.setSize(100, 30)
		term.events <- syscall.SIGWINCH
		if got := <-sizes; got != [2]int{30, 100} {
			t.Errorf("size after the window changed = %v", got)
		}
		remote.Close()
	}()
	opts := &RunOptions{IO: io, Client: clientOf(fc), Term: term, AppName: "web", Image: "alpine", Cmd: []string{"/bin/sh"}, Shell: true}
	if err := within(t, func() error { return runRun(context.Background(), opts) }); err != nil {
		t.Fatal(err)
	}
	if out.String() != "/ # " {
		t.Errorf("stdout = %q", out)
	}
	if d := cmp.Diff([]string{"raw", "watch", "unwatch", "restore"}, term.log); d != "" {
		t.Errorf("terminal (-want +got):\n%s", d)
	}
}

func TestShellAttachFailureDestroysTheMachine(t *testing.T) {
	io, _, _, _ := iostreams.Test()
	refused := errors.New("attaching to machine m: the agent answered 500 instead of switching protocols")
	var destroyed []string
	fc := &fakeClient{
		runMachine:     func(string, api.RunMachineRequest) (api.Machine, error) { return api.Machine{ID: "m"}, nil },
		attach:         func(string, string) (net.Conn, error) { return nil, refused },
		destroyMachine: func(app, id string, force bool) error { destroyed = append(destroyed, app+"/"+id); return nil },
	}
	opts := &RunOptions{IO: io, Client: clientOf(fc), AppName: "web", Image: "alpine", Cmd: []string{"/bin/sh"}, Shell: true}
	if err := runRun(context.Background(), opts); !errors.Is(err, refused) {
		t.Fatalf("error = %v", err)
	}
	if d := cmp.Diff([]string{"web/m"}, destroyed); d != "" {
		t.Errorf("destroyed (-want +got):\n%s", d)
	}
}

func TestEnsureShellsApp(t *testing.T) {
	boom := errors.New("agent down")
	tests := []struct {
		name       string
		getErr     error
		createErr  error
		wantCreate bool
		wantErr    string
	}{
		{"exists", nil, nil, false, ""},
		{"created", notFound(shellsApp), nil, true, ""},
		{"created by another shell meanwhile", notFound(shellsApp), &api.Error{Status: 409, Code: "app_exists", Message: "exists"}, true, ""},
		{"create fails", notFound(shellsApp), boom, true, "creating the hangar-shells app: agent down"},
		{"lookup fails", boom, nil, false, "agent down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			created := false
			fc := &fakeClient{
				getApp: func(string) (api.App, error) { return api.App{Name: shellsApp}, tt.getErr },
				createApp: func(api.CreateAppRequest) (api.CreateAppResponse, error) {
					created = true
					return api.CreateAppResponse{}, tt.createErr
				},
			}
			err := ensureShellsApp(context.Background(), fc)
			if got := errText(err); got != tt.wantErr {
				t.Errorf("error = %q, want %q", got, tt.wantErr)
			}
			if created != tt.wantCreate {
				t.Errorf("created = %t, want %t", created, tt.wantCreate)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestCloseWriteThroughAPIAttach half-closes the connection the real api.Attach returns,
// against a stand-in agent that echoes until end of input.
func TestCloseWriteThroughAPIAttach(t *testing.T) {
	dir, err := os.MkdirTemp("", "hangar-attach")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(echoUpgrade)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	conn, err := api.NewClient(sock).Attach(context.Background(), "web", "m")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second)) // a half-close that does not happen fails, not hangs
	if _, err := conn.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if err := closeWrite(conn); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(conn)
	if err != nil || string(got) != "hello" {
		t.Errorf("read %q, %v; want the echo and then end of stream", got, err)
	}
}

func echoUpgrade(w http.ResponseWriter, _ *http.Request) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
	buf.Flush()
	io.Copy(conn, bufio.NewReader(buf))
}
