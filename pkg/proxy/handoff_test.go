package proxy

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// tcpPair is a connected pair of loopback TCP connections: real sockets with half-close,
// as the agent's socket pair is.
func tcpPair(t testing.TB) (client, server *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s := <-accepted
	if s == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { _ = c.Close(); _ = s.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	return c.(*net.TCPConn), s.(*net.TCPConn)
}

// handOff hands the server end of a new pair to the proxy at local and returns the client end.
func (h *harness) handOff(local netip.AddrPort) *net.TCPConn {
	h.t.Helper()
	client, server := tcpPair(h.t)
	if err := h.p.Serve(server, local); err != nil {
		h.t.Fatal(err)
	}
	return client
}

// flycastAt is a Flycast address of the app: no listener has it, only hand-offs reach it.
func flycastAt(port uint16) netip.AddrPort {
	return netip.AddrPortFrom(netip.MustParseAddr("fdaa:0:1:0:1::2"), port)
}

func TestHandOffToHTTPServiceWakesIt(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	h.cat.addAddr(flycastAt(80), h.svc)
	c := h.handOff(flycastAt(80))
	br := bufio.NewReader(c)
	for i := range 2 { // keep-alive: the second request needs no second wake
		if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: flycast-demo.flycast\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != "hello from 3d8d9e3f" || resp.Header.Get("Via") != via {
			t.Fatalf("request %d: %d %q Via %q", i, resp.StatusCode, body, resp.Header.Get("Via"))
		}
	}
	if starts, _ := fm.counts(); starts != 1 {
		t.Errorf("Start called %d times, want 1", starts)
	}
}

func TestHandOffToTCPServiceWakesAndHalfCloses(t *testing.T) {
	fm := newFakeMachines(t, echoApp, netip.MustParseAddr("::1"))
	h := newHarness(t, tcpService(), fm)
	h.cat.addAddr(flycastAt(5432), h.svc)
	c := h.handOff(flycastAt(5432))
	if _, err := io.WriteString(c, "ping"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("echo: %q %v", buf, err)
	}
	if v := h.machine("3d8d9e3f"); v.state != StateStarted || v.active != 1 {
		t.Errorf("while connected: %+v, want started with the connection's lease", v)
	}
	// The half-close reaches the machine, which still answers before its own.
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if rest, err := io.ReadAll(c); err != nil || string(rest) != "EOF" {
		t.Fatalf("after half-close: %q %v, want \"EOF\"", rest, err)
	}
	waitFor(t, "the connection's lease to end", h.settled)
	if starts, _ := fm.counts(); starts != 1 {
		t.Errorf("Start called %d times, want 1", starts)
	}
}

func TestHandOffWithoutServiceIsClosed(t *testing.T) {
	fm := newFakeMachines(t, echoApp, netip.MustParseAddr("::1"))
	h := newHarness(t, tcpService(), fm)
	c := h.handOff(flycastAt(5433))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("read %d bytes, %v; want the proxy to close the connection", n, err)
	}
	waitFor(t, "the reason logged", func() bool { return len(h.logs.records("closing connection: no service at this address")) == 1 })
	if starts, _ := fm.counts(); starts != 0 {
		t.Errorf("Start called %d times, want 0", starts)
	}
}

func TestHandOffsShareOneListener(t *testing.T) {
	fm := newFakeMachines(t, echoApp, netip.MustParseAddr("::1"))
	h := newHarness(t, tcpService(), fm)
	h.cat.addAddr(flycastAt(5432), h.svc)
	var wg sync.WaitGroup
	for range 20 {
		client, server := tcpPair(t)
		wg.Go(func() {
			if err := h.p.Serve(server, flycastAt(5432)); err != nil {
				t.Error(err)
			}
			_, _ = io.WriteString(client, "x")
			_, _ = io.ReadFull(client, make([]byte, 1))
			_ = client.Close()
		})
	}
	wg.Wait()
	h.p.mu.Lock()
	defer h.p.mu.Unlock()
	n := 0
	for _, ln := range h.p.listeners {
		if rl, ok := ln.(*routeListener); ok {
			if _, ok := rl.Listener.(*handoffListener); ok {
				n++
			}
		}
	}
	if n != 1 {
		t.Errorf("%d hand-off listeners, want 1", n)
	}
}

func TestCloseCutsHandedConnections(t *testing.T) {
	fm := newFakeMachines(t, echoApp, netip.MustParseAddr("::1"))
	h := newHarness(t, tcpService(), fm, func(c *Config) { c.DrainTimeout = 20 * time.Millisecond })
	h.cat.addAddr(flycastAt(5432), h.svc)
	c := h.handOff(flycastAt(5432))
	if _, err := io.WriteString(c, "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	if err := h.p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("handed connection still open after Close")
	}
	// After Close a hand-off is refused and its connection closed.
	client, server := tcpPair(t)
	if err := h.p.Serve(server, flycastAt(5432)); !errors.Is(err, ErrClosed) {
		t.Errorf("Serve after Close: %v, want ErrClosed", err)
	}
	if n, err := client.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("refused connection: read %d, %v; want EOF", n, err)
	}
}
