package dns

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
)

func TestPrivateListenAddr(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1", true},
		{"127.0.0.53", true},
		{"::1", true},
		{"::ffff:127.0.0.1", true},
		{"fdaa::3", true},
		{"fdaa:0:2a::3", true},
		{"fdaa:ffff:ffff:ffff::1", true},
		{"0.0.0.0", false},
		{"::", false},
		{"192.168.1.10", false},
		{"10.0.0.1", false},
		{"2001:db8::1", false},
		{"fd00::1", false},
		{"fdab::3", false},
		{"fe80::1%eth0", false},
		{"ff02::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := PrivateListenAddr(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("PrivateListenAddr = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestServerRefusesPublicAddresses(t *testing.T) {
	tests := []struct {
		name  string
		addrs []string
		want  error
	}{
		{"IPv4 wildcard", []string{"0.0.0.0:0"}, ErrNotPrivate},
		{"IPv6 wildcard", []string{"[::]:0"}, ErrNotPrivate},
		{"public after loopback", []string{"127.0.0.1:0", "[2001:db8::1]:53"}, ErrNotPrivate},
		{"LAN", []string{"192.168.1.10:53"}, ErrNotPrivate},
		{"none", nil, ErrNoAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var aps []netip.AddrPort
			for _, a := range tt.addrs {
				aps = append(aps, netip.MustParseAddrPort(a))
			}
			s := NewServer(NewHandler(testCatalog(), nil), aps)
			if err := s.Start(); !errors.Is(err, tt.want) {
				s.Shutdown(context.Background())
				t.Fatalf("Start = %v, want %v", err, tt.want)
			}
		})
	}
}

// startServer starts a Server for h on addrs and stops it with the test.
func startServer(t *testing.T, h *Handler, addrs ...string) *Server {
	t.Helper()
	var aps []netip.AddrPort
	for _, a := range addrs {
		aps = append(aps, netip.MustParseAddrPort(a))
	}
	s := NewServer(h, aps)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	})
	return s
}

// exchange sends q to addr over network ("udp" uses dns.Exchange).
func exchange(t *testing.T, network string, addr netip.AddrPort, q *dns.Msg) *dns.Msg {
	t.Helper()
	var m *dns.Msg
	var err error
	if network == "udp" {
		m, err = dns.Exchange(q, addr.String())
	} else {
		m, _, err = (&dns.Client{Net: network}).Exchange(q, addr.String())
	}
	if err != nil {
		t.Fatalf("asking %s over %s: %v", addr, network, err)
	}
	return m
}

func TestServerOverUDPAndTCP(t *testing.T) {
	good := startUpstream(t, answerA("192.0.2.1"))
	h := NewHandler(testCatalog(), NewForwarder(ForwardConfig{Upstreams: []netip.AddrPort{good.addr}}))
	s := startServer(t, h, "127.0.0.1:0", "[::1]:0")
	if len(s.Addrs()) != 2 {
		t.Fatalf("Addrs = %v, want two", s.Addrs())
	}
	for _, addr := range s.Addrs() {
		for _, network := range []string{"udp", "tcp"} {
			t.Run(addr.Addr().String()+"/"+network, func(t *testing.T) {
				if addr.Port() == 0 {
					t.Fatalf("Addrs reports port 0: %v", addr)
				}
				m := exchange(t, network, addr, query("web.flycast.", dns.TypeAAAA))
				if got := rrStrings(m.Answer); len(got) != 1 || got[0] != "60 AAAA "+webFlycast || !m.Authoritative {
					t.Errorf("web.flycast = %v (AA %v), want %s authoritatively", got, m.Authoritative, webFlycast)
				}
				m = exchange(t, network, addr, query("example.com.", dns.TypeA))
				if got := rrStrings(m.Answer); len(got) != 1 || got[0] != "30 A 192.0.2.1" {
					t.Errorf("example.com = %v, want the upstream's answer", got)
				}
			})
		}
	}
	// Each query is forwarded over the transport it came in on.
	if diff := cmp.Diff([]string{"udp", "tcp", "udp", "tcp"}, good.networks()); diff != "" {
		t.Errorf("upstream transports (-want +got):\n%s", diff)
	}
}

func TestServerTruncatesOverUDPOnly(t *testing.T) {
	c, _ := crowdedCatalog()
	s := startServer(t, NewHandler(c, nil), "127.0.0.1:0")
	addr := s.Addrs()[0]
	if m := exchange(t, "udp", addr, query("crowd.internal.", dns.TypeAAAA)); !m.Truncated {
		t.Errorf("UDP reply has %d records and no TC bit, want truncation", len(m.Answer))
	}
	if m := exchange(t, "tcp", addr, query("crowd.internal.", dns.TypeAAAA)); m.Truncated || len(m.Answer) != 40 {
		t.Errorf("TCP reply TC = %v with %d records, want 40 whole", m.Truncated, len(m.Answer))
	}
}

func TestServerStartTwiceAndShutdown(t *testing.T) {
	s := NewServer(NewHandler(testCatalog(), nil), []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:0")})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); !errors.Is(err, ErrStarted) {
		t.Errorf("second Start = %v, want ErrStarted", err)
	}
	addr := s.Addrs()[0]
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c, err := net.Dial("tcp", addr.String()); err == nil {
		c.Close()
		t.Errorf("%s still accepts TCP after Shutdown", addr)
	}
}
