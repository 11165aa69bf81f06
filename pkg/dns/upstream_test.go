package dns

import (
	"context"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// upstream is a fake resolver, a miekg/dns server on a loopback port 0
// over UDP and TCP, counting the queries it receives.
type upstream struct {
	addr    netip.AddrPort
	queries atomic.Int32
	mu      sync.Mutex
	nets    []string // guarded by mu: the transport of each query
}

// startUpstream serves handle until the test ends.
func startUpstream(t *testing.T, handle dns.HandlerFunc) *upstream {
	t.Helper()
	u := &upstream{}
	count := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		u.queries.Add(1)
		u.mu.Lock()
		u.nets = append(u.nets, network(w))
		u.mu.Unlock()
		handle(w, r)
	})
	pc, ln, err := bindPair(Bind{Addr: netip.MustParseAddrPort("127.0.0.1:0")})
	if err != nil {
		t.Fatal(err)
	}
	u.addr = ln.Addr().(*net.TCPAddr).AddrPort()
	for _, srv := range []*dns.Server{{PacketConn: pc, Handler: count}, {Listener: ln, Handler: count}} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go srv.ActivateAndServe()
		<-started
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			srv.ShutdownContext(ctx)
		})
	}
	return u
}

func (u *upstream) networks() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.nets...)
}

// answerA answers every query with an A record of addr.
func answerA(addr string) dns.HandlerFunc {
	return func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg).SetReply(r)
		m.Answer = []dns.RR{&dns.A{Hdr: header(r.Question[0].Name, dns.TypeA, 30), A: net.ParseIP(addr)}}
		w.WriteMsg(m)
	}
}

// answerRcode answers every query with rcode and no record.
func answerRcode(rcode int) dns.HandlerFunc {
	return func(w dns.ResponseWriter, r *dns.Msg) {
		w.WriteMsg(new(dns.Msg).SetRcode(r, rcode))
	}
}

// silent never answers.
func silent(dns.ResponseWriter, *dns.Msg) {}
