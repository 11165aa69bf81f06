package proxy

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"
)

func TestIsPrivate(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1", true},
		{"127.0.0.53", true},
		{"::1", true},
		{"::ffff:127.0.0.1", true},
		{"fdaa:0:18:0:1::7", true},   // Flycast
		{"fdaa:3:9018:a7b::2", true}, // 6PN
		{"fdaa::3", true},
		{"fdab::1", false},
		{"fd00::1", false},
		{"fe80::1", false},
		{"10.0.0.1", false},
		{"192.168.1.10", false},
		{"8.8.8.8", false},
		{"2001:db8::1", false},
		{"0.0.0.0", false},
		{"::", false},
	}
	for _, tt := range tests {
		if got := IsPrivate(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("IsPrivate(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

func TestListenRefusesPublicAddresses(t *testing.T) {
	p := New(Config{Catalog: newFakeCatalog(), Machines: &fakeMachines{}})
	defer func() { _ = p.Close() }()
	for _, a := range []string{"0.0.0.0:0", "[::]:0", "8.8.8.8:80", "[2001:db8::1]:80", "10.0.0.1:80", "[fd00::1]:80"} {
		_, err := p.Listen(netip.MustParseAddrPort(a))
		if !errors.Is(err, ErrNotPrivate) {
			t.Errorf("Listen(%s) = %v, want ErrNotPrivate", a, err)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.listeners) != 0 {
		t.Errorf("%d listeners open after refusals", len(p.listeners))
	}
}

func TestCloseDrainsThenCuts(t *testing.T) {
	hd := newHolding()
	fm := newFakeMachines(t, httpApp(hd.handler), loopbacks(1)...)
	h := newHarness(t, webService(), fm, func(c *Config) { c.DrainTimeout = 10 * time.Second })
	inflight := h.goGet("/slow")
	hd.next(t)

	closed := make(chan error)
	go func() { closed <- h.p.Close() }()
	waitFor(t, "the listener to close", func() bool {
		c, err := net.Dial("tcp", h.addr.String())
		if err == nil {
			_ = c.Close()
		}
		return err != nil
	})
	close(hd.release) // the request in flight still completes
	if r := h.receive(inflight); r.code != 200 {
		t.Fatalf("request in flight during Close: %d %q", r.code, r.body)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if _, err := h.p.Listen(netip.MustParseAddrPort("127.0.0.1:0")); !errors.Is(err, ErrClosed) {
		t.Errorf("Listen after Close: %v, want ErrClosed", err)
	}
}

func TestCloseCutsConnectionsAfterTheDrainTimeout(t *testing.T) {
	fm := newFakeMachines(t, echoApp, netip.MustParseAddr("::1"))
	h := newHarness(t, tcpService(), fm, func(c *Config) { c.DrainTimeout = 20 * time.Millisecond })
	c, err := net.Dial("tcp", h.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
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
		t.Fatal("connection still open after Close")
	}
	if _, stops := fm.counts(); stops != 0 {
		t.Errorf("Close stopped %d machines; it leaves them to the daemon", stops)
	}
}
