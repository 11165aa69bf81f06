package proxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/agent/agenttest"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// fakeClient answers from function fields.
type fakeClient struct {
	getApp func(app string) (api.App, error)
	proxy  func(ctx context.Context, app, host string, port uint16) (net.Conn, error)
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) GetApp(_ context.Context, app string) (api.App, error) {
	if f.getApp == nil {
		return api.App{Name: app}, nil
	}
	return f.getApp(app)
}

func (f *fakeClient) Proxy(ctx context.Context, app, host string, port uint16) (net.Conn, error) {
	return f.proxy(ctx, app, host, port)
}

// lines is an io.Writer many goroutines may write whole lines to while a test reads them.
type lines struct {
	mu  sync.Mutex
	buf bytes.Buffer
	ch  chan string
}

func newLines() *lines { return &lines{ch: make(chan string, 100)} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ch <- string(p)
	return l.buf.Write(p)
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *lines) next(t *testing.T) string {
	t.Helper()
	select {
	case s := <-l.ch:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("no line written")
		return ""
	}
}

// running is runProxy in a goroutine, with its streams and its local address.
type running struct {
	out, errOut *lines
	addr        string
	cancel      context.CancelFunc
	done        chan error
	stopOnce    sync.Once
}

// start runs the proxy on a free local port of 127.0.0.1 and reads the port it printed.
func start(t *testing.T, c Client, mutate ...func(*ProxyOptions)) *running {
	t.Helper()
	r := &running{out: newLines(), errOut: newLines(), done: make(chan error, 1)}
	opts := &ProxyOptions{IO: &iostreams.IOStreams{In: &bytes.Buffer{}, Out: r.out, ErrOut: r.errOut},
		Client: func() (Client, error) { return c, nil }, AppName: "web", BindAddr: "127.0.0.1",
		RemoteHost: "web.flycast", RemotePort: 80}
	for _, m := range mutate {
		m(opts)
	}
	var ctx context.Context
	ctx, r.cancel = context.WithCancel(context.Background())
	t.Cleanup(func() { r.stop(t) })
	go func() { r.done <- runProxy(ctx, opts) }()
	line := r.out.next(t)
	m := regexp.MustCompile(`^Proxying localhost:(\d+) to remote \[web\.flycast\]:80\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q", line)
	}
	r.addr = "127.0.0.1:" + m[1]
	return r
}

// stop cancels the proxy as Ctrl-C does and checks that it returned nil; a second
// stop (the test's cleanup) does nothing.
func (r *running) stop(t *testing.T) {
	r.stopOnce.Do(func() {
		r.cancel()
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("runProxy after cancel: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("runProxy did not return after cancel")
		}
	})
}

func (r *running) dial(t *testing.T) *net.TCPConn {
	t.Helper()
	c, err := net.Dial("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c.(*net.TCPConn)
}

// upstream serves each stream the fake agent opens with handle, on a real socket pair
// so half-closes pass.
func upstream(t *testing.T, handle func(c *net.TCPConn)) func(context.Context, string, string, uint16) (net.Conn, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				handle(c.(*net.TCPConn))
			})
		}
	})
	return func(ctx context.Context, _, _ string, _ uint16) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", ln.Addr().String())
	}
}

// TestRunProxyManyConnectionsWithHalfClose: each client sends its input and half-closes;
// the far side reads to the end and still answers, on twenty connections at once.
func TestRunProxyManyConnectionsWithHalfClose(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	dial := upstream(t, func(c *net.TCPConn) {
		in, err := io.ReadAll(c) // ends only with the client's half-close
		if err == nil {
			fmt.Fprintf(c, "got %s", in)
		}
		c.CloseWrite()
	})
	r := start(t, &fakeClient{proxy: func(ctx context.Context, app, host string, port uint16) (net.Conn, error) {
		mu.Lock()
		calls = append(calls, fmt.Sprintf("%s %s %d", app, host, port))
		mu.Unlock()
		return dial(ctx, app, host, port)
	}})
	var wg sync.WaitGroup
	for i := range 20 {
		c := r.dial(t)
		wg.Go(func() {
			fmt.Fprintf(c, "request %d", i)
			c.CloseWrite()
			if got, err := io.ReadAll(c); err != nil || string(got) != fmt.Sprintf("got request %d", i) {
				t.Errorf("connection %d: %q %v", i, got, err)
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 20 || calls[0] != "web web.flycast 80" {
		t.Errorf("%d streams opened, first %v; want 20 to web web.flycast 80", len(calls), calls[:min(1, len(calls))])
	}
	if s := r.errOut.String(); s != "" {
		t.Errorf("stderr: %q", s)
	}
}

// TestRunProxyRemoteFinishesFirst: the far side sends and half-closes first; the client
// reads the end and can still send, and the far side reads it.
func TestRunProxyRemoteFinishesFirst(t *testing.T) {
	late := make(chan string, 1)
	dial := upstream(t, func(c *net.TCPConn) {
		io.WriteString(c, "hello")
		c.CloseWrite()
		in, _ := io.ReadAll(c)
		late <- string(in)
	})
	r := start(t, &fakeClient{proxy: dial})
	c := r.dial(t)
	if got, err := io.ReadAll(c); err != nil || string(got) != "hello" {
		t.Fatalf("read %q, %v; want the greeting, then the half-close", got, err)
	}
	io.WriteString(c, "late")
	c.CloseWrite()
	select {
	case got := <-late:
		if got != "late" {
			t.Errorf("the far side read %q after its half-close, want \"late\"", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the far side never read the client's end")
	}
}

// TestRunProxyExitsOnCancel: cancelling (Ctrl-C) closes the listener and the open
// connections and runProxy returns nil.
func TestRunProxyExitsOnCancel(t *testing.T) {
	opened := make(chan struct{})
	dial := upstream(t, func(c *net.TCPConn) {
		close(opened)
		io.Copy(io.Discard, c) // holds the stream open until it is closed
	})
	r := start(t, &fakeClient{proxy: dial})
	c := r.dial(t)
	<-opened
	r.stop(t)
	if n, err := c.Read(make([]byte, 1)); err == nil {
		t.Errorf("open connection after cancel: read %d bytes", n)
	}
	if c, err := net.Dial("tcp", r.addr); err == nil {
		c.Close()
		t.Error("still listening after cancel")
	}
}

// TestRunProxyConnectionErrors: a stream the agent refuses is one error line and a
// closed connection, and the proxy keeps listening.
func TestRunProxyConnectionErrors(t *testing.T) {
	refused := &api.Error{Status: 404, Code: "no_target", Message: "app web has no service on port 80: its service ports are 5432"}
	r := start(t, &fakeClient{proxy: func(context.Context, string, string, uint16) (net.Conn, error) { return nil, refused }})
	want := "Error: proxying a connection to [web.flycast]:80: app web has no service on port 80: its service ports are 5432\n"
	for i := range 2 {
		c := r.dial(t)
		if n, err := c.Read(make([]byte, 1)); n != 0 || err != io.EOF {
			t.Fatalf("connection %d: read %d, %v; want it closed", i, n, err)
		}
		if got := r.errOut.next(t); got != want {
			t.Errorf("connection %d: stderr %q, want %q", i, got, want)
		}
	}
}

func TestRunProxyQuiet(t *testing.T) {
	out := newLines()
	sock := filepath.Join(t.TempDir(), "pg.sock")
	ctx, cancel := context.WithCancel(context.Background())
	opened := make(chan struct{})
	fc := &fakeClient{proxy: func(context.Context, string, string, uint16) (net.Conn, error) {
		close(opened)
		return nil, errors.New("refused")
	}}
	done := make(chan error, 1)
	go func() {
		done <- runProxy(ctx, &ProxyOptions{IO: &iostreams.IOStreams{Out: out, ErrOut: io.Discard}, Client: func() (Client, error) { return fc, nil },
			AppName: "web", LocalPath: sock, RemoteHost: "web.flycast", RemotePort: 5432, Quiet: true})
	}()
	var c net.Conn
	for deadline := time.Now().Add(10 * time.Second); c == nil && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		c, _ = net.Dial("unix", sock)
	}
	if c == nil {
		t.Fatal("nothing listens on the unix socket")
	}
	defer c.Close()
	<-opened
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s := out.String(); s != "" {
		t.Errorf("--quiet printed %q", s)
	}
}

func TestRunProxyUnknownApp(t *testing.T) {
	notFound := &api.Error{Status: 404, Code: "app_not_found", Message: "app nope not found"}
	ios, _, out, _ := iostreams.Test()
	fc := &fakeClient{getApp: func(string) (api.App, error) { return api.App{}, notFound }}
	err := runProxy(context.Background(), &ProxyOptions{IO: ios, Client: func() (Client, error) { return fc, nil },
		AppName: "nope", BindAddr: "127.0.0.1", RemoteHost: "nope.flycast", RemotePort: 80})
	if !errors.Is(err, notFound) || out.Len() != 0 {
		t.Errorf("error %v, stdout %q; want the agent's error before listening", err, out)
	}
}

func TestRunProxyListenError(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	err := runProxy(context.Background(), &ProxyOptions{IO: ios, Client: func() (Client, error) { return &fakeClient{}, nil },
		AppName: "web", BindAddr: "192.0.2.1", RemoteHost: "web.flycast", RemotePort: 80})
	if err == nil || !strings.HasPrefix(err.Error(), "listening locally: listen tcp 192.0.2.1:0: ") {
		t.Errorf("error %v, want the listen error", err)
	}
}

// TestRunProxyAgainstTheAgent: the real client and agent (in process, without a container
// engine): the app is found, the agent refuses the stream with its reason, and the
// connection gets that line.
func TestRunProxyAgainstTheAgent(t *testing.T) {
	a := agenttest.Start(t, nil)
	if _, err := a.Client.CreateApp(context.Background(), api.CreateAppRequest{AppName: "web", OrgSlug: "personal"}); err != nil {
		t.Fatal(err)
	}
	r := start(t, a.Client)
	c := r.dial(t)
	if n, err := c.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("read %d, %v; want the connection closed", n, err)
	}
	want := "Error: proxying a connection to [web.flycast]:80: this hangar agent has no container engine: is Docker installed and running?\n"
	if got := r.errOut.next(t); got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}
