package dns

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// fastTimeout keeps the tests of silent upstreams short; the client's
// default 2 s timeout is far above it, so a forward that ignored it fails.
const fastTimeout = 150 * time.Millisecond

func TestForwardChain(t *testing.T) {
	tests := []struct {
		name     string
		chain    []dns.HandlerFunc
		rcode    int
		answer   []string
		asked    []int32 // queries each upstream received
		failures uint64  // Metrics().Other.ForwardFailed
	}{
		{"good", []dns.HandlerFunc{answerA("192.0.2.1")}, dns.RcodeSuccess, []string{"30 A 192.0.2.1"}, []int32{1}, 0},
		{"SERVFAIL then good", []dns.HandlerFunc{answerRcode(dns.RcodeServerFailure), answerA("192.0.2.2")}, dns.RcodeSuccess, []string{"30 A 192.0.2.2"}, []int32{1, 1}, 0},
		{"REFUSED then good", []dns.HandlerFunc{answerRcode(dns.RcodeRefused), answerA("192.0.2.3")}, dns.RcodeSuccess, []string{"30 A 192.0.2.3"}, []int32{1, 1}, 0},
		{"silent then good", []dns.HandlerFunc{silent, answerA("192.0.2.4")}, dns.RcodeSuccess, []string{"30 A 192.0.2.4"}, []int32{1, 1}, 0},
		{"NXDOMAIN is an answer", []dns.HandlerFunc{answerRcode(dns.RcodeNameError), answerA("192.0.2.5")}, dns.RcodeNameError, nil, []int32{1, 0}, 0},
		{"all silent", []dns.HandlerFunc{silent, silent}, dns.RcodeServerFailure, nil, []int32{1, 1}, 1},
		{"all fail", []dns.HandlerFunc{answerRcode(dns.RcodeServerFailure), answerRcode(dns.RcodeRefused)}, dns.RcodeServerFailure, nil, []int32{1, 1}, 1},
	}
	for _, tt := range tests {
		for _, network := range []string{"udp", "tcp"} {
			t.Run(tt.name+"/"+network, func(t *testing.T) {
				var ups []*upstream
				var cfg = ForwardConfig{Timeout: fastTimeout}
				for _, handle := range tt.chain {
					u := startUpstream(t, handle)
					ups = append(ups, u)
					cfg.Upstreams = append(cfg.Upstreams, u.addr)
				}
				h := NewHandler(testCatalog(), NewForwarder(cfg))
				s := startServer(t, h, "127.0.0.1:0")
				m := exchange(t, network, s.Addrs()[0], query("example.com.", dns.TypeA))
				if err := s.Shutdown(context.Background()); err != nil { // counts after the reply
					t.Fatal(err)
				}
				if m.Rcode != tt.rcode || !equal(rrStrings(m.Answer), tt.answer) {
					t.Errorf("reply %s %v, want %s %v", dns.RcodeToString[m.Rcode], rrStrings(m.Answer), dns.RcodeToString[tt.rcode], tt.answer)
				}
				for i, u := range ups {
					if got := u.queries.Load(); got != tt.asked[i] {
						t.Errorf("upstream %d asked %d times, want %d", i, got, tt.asked[i])
					}
				}
				if got := h.Metrics().Other; got.ForwardFailed != tt.failures || got.Forwarded != 1-tt.failures {
					t.Errorf("metrics: %d forwarded, %d failed; want %d failed", got.Forwarded, got.ForwardFailed, tt.failures)
				}
			})
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestForwardRefusesBeyondMaxInFlight(t *testing.T) {
	arrived, release := make(chan struct{}, 3), make(chan struct{})
	slow := startUpstream(t, func(w dns.ResponseWriter, r *dns.Msg) {
		arrived <- struct{}{}
		<-release
		answerA("192.0.2.9")(w, r)
	})
	h := NewHandler(testCatalog(), NewForwarder(ForwardConfig{Upstreams: []netip.AddrPort{slow.addr}, MaxInFlight: 1}))
	first := newRecorder(loopback, false)
	done := make(chan struct{})
	go func() {
		h.ServeDNS(first, query("one.example.", dns.TypeA))
		close(done)
	}()
	<-arrived // the only slot is taken
	if m := ask(t, h, loopback, false, query("two.example.", dns.TypeA)); m.Rcode != dns.RcodeRefused {
		t.Errorf("second forward: %s, want REFUSED", dns.RcodeToString[m.Rcode])
	}
	close(release)
	<-done
	if m := first.reply(t); len(m.Answer) != 1 {
		t.Errorf("first forward answered %v, want the upstream's record", m.Answer)
	}
	if m := ask(t, h, loopback, false, query("three.example.", dns.TypeA)); m.Rcode != dns.RcodeSuccess {
		t.Errorf("forward after the slot was freed: %s, want NOERROR", dns.RcodeToString[m.Rcode])
	}
}

func TestPrivateNamesAreNeverForwarded(t *testing.T) {
	u := startUpstream(t, answerA("192.0.2.1"))
	h := NewHandler(testCatalog(), NewForwarder(ForwardConfig{Upstreams: []netip.AddrPort{u.addr}}))
	names := []struct{ caller, name string }{
		{loopback, "ghost.internal."},
		{loopback, "ghost.flycast."},
		{loopback, "a.b.c.d.e.web.internal."},
		{loopback, "INTERNAL."},
		{stranger, "web.flycast."},
		{stranger, "_apps.internal."},
	}
	for _, n := range names {
		ask(t, h, n.caller, false, query(n.name, dns.TypeA))
	}
	// Reverse lookups of fdaa: addresses (RFC 6303): NXDOMAIN here, never asked upstream.
	for _, addr := range []string{"fdaa:0:2a:0:1::2", "fdaa::3"} {
		name, _ := dns.ReverseAddr(addr)
		if m := ask(t, h, loopback, false, query(strings.ToUpper(name), dns.TypePTR)); m.Rcode != dns.RcodeNameError {
			t.Errorf("PTR %s: %s, want NXDOMAIN", name, dns.RcodeToString[m.Rcode])
		}
	}
	if got := u.queries.Load(); got != 0 {
		t.Errorf("upstream received %d private queries, want 0", got)
	}
	public, _ := dns.ReverseAddr("2001:db8::1")
	ask(t, h, loopback, false, query(public, dns.TypePTR))
	if got := u.queries.Load(); got != 1 {
		t.Errorf("a public reverse lookup reached the upstream %d times, want 1", got)
	}
}
