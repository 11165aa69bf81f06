package proxy

import (
	"io"
	"net"
	"net/netip"
	"testing"
	"time"
)

func tcpService() Service {
	return Service{App: "flycast-demo", Port: 5432, AutoStop: AutoStopStop, AutoStart: true, IdleTimeout: time.Minute}
}

func TestTCPServiceWakesAndSplicesBothWays(t *testing.T) {
	fm := newFakeMachines(t, echoApp, netip.MustParseAddr("::1"))
	h := newHarness(t, tcpService(), fm)
	c, err := net.Dial("tcp", h.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "ping"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("echo: %q %v", buf, err)
	}

	// An open connection keeps the machine awake however long it is quiet.
	for range 5 {
		h.clock.Advance(h.svc.IdleTimeout)
	}
	if v := h.machine("3d8d9e3f"); v.active != 1 || v.stopping {
		t.Fatalf("while connected: %+v", v)
	}
	// A half-close reaches the machine, which can still answer before its own.
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if rest, err := io.ReadAll(c); err != nil || string(rest) != "EOF" {
		t.Fatalf("after half-close: %q %v, want \"EOF\"", rest, err)
	}
	_ = c.Close()
	waitFor(t, "the connection's lease to end", h.settled)
	h.clock.Advance(h.svc.IdleTimeout)
	waitFor(t, "the idle stop", func() bool { _, stops := fm.counts(); return stops == 1 })
	if starts, _ := fm.counts(); starts != 1 {
		t.Errorf("Start called %d times, want 1", starts)
	}
}

func TestTCPConnectionToAppThatCannotStartIsClosed(t *testing.T) {
	fm := newFakeMachines(t, echoApp, netip.MustParseAddr("::1"))
	fm.set(func(f *fakeMachines) { f.failure, f.neverListen = "exited with code 3: no config", true })
	h := newHarness(t, tcpService(), fm)
	c, err := net.Dial("tcp", h.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("read %d bytes, %v; want the proxy to close the connection", n, err)
	}
	waitFor(t, "the reason logged", func() bool { return len(h.logs.records("closing connection")) == 1 })
	rec := h.logs.records("closing connection")[0]
	if rec["err"] != "app flycast-demo could not start: machine 3d8d9e3f exited with code 3: no config" {
		t.Errorf("logged %v", rec)
	}
}
