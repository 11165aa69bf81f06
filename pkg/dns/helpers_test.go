package dns

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// recorder is a dns.ResponseWriter that keeps what the handler writes,
// packed as the real writer would pack it.
type recorder struct {
	remote net.Addr
	msgs   []*dns.Msg
	sizes  []int // packed length of each message
	err    error // the first packing error
}

var _ dns.ResponseWriter = (*recorder)(nil)

// newRecorder returns a writer for a query from caller over UDP or TCP.
func newRecorder(caller string, tcp bool) *recorder {
	ap := netip.AddrPortFrom(netip.MustParseAddr(caller), 40000)
	if tcp {
		return &recorder{remote: net.TCPAddrFromAddrPort(ap)}
	}
	return &recorder{remote: net.UDPAddrFromAddrPort(ap)}
}

func (r *recorder) LocalAddr() net.Addr  { return &net.UDPAddr{IP: net.IPv6loopback, Port: 53} }
func (r *recorder) RemoteAddr() net.Addr { return r.remote }
func (r *recorder) Close() error         { return nil }
func (r *recorder) TsigStatus() error    { return nil }
func (r *recorder) TsigTimersOnly(bool)  {}
func (r *recorder) Hijack()              {}

func (r *recorder) WriteMsg(m *dns.Msg) error {
	b, err := m.Pack()
	if err != nil && r.err == nil {
		r.err = err
	}
	r.msgs = append(r.msgs, m)
	r.sizes = append(r.sizes, len(b))
	return err
}

func (r *recorder) Write(b []byte) (int, error) {
	m := new(dns.Msg)
	if err := m.Unpack(b); err != nil {
		return 0, err
	}
	return len(b), r.WriteMsg(m)
}

// reply returns the only message written, failing the test otherwise.
func (r *recorder) reply(t testing.TB) *dns.Msg {
	t.Helper()
	if len(r.msgs) != 1 || r.err != nil {
		t.Fatalf("handler wrote %d messages (pack error %v), want 1", len(r.msgs), r.err)
	}
	return r.msgs[0]
}

// Addresses of the test organizations' machines and Flycast IPs.
const (
	loopback   = "127.0.0.1"
	webM1      = "fdaa:0:2a:a7b:1:1:0:2"
	webM2      = "fdaa:0:2a:a7b:1:2:0:2"
	webM3      = "fdaa:0:2a:a7b:1:3:0:2"
	webFlycast = "fdaa:0:2a:0:1::7"
	acmeM1     = "fdaa:0:99:a7b:1:1:0:2"
	stranger   = "fdaa:0:77:a7b:1:1:0:2"
)

// testCatalog holds org "personal" (the loopback default) with apps web,
// sleepy and quiet, and org "acme" with app secret.
func testCatalog() *StaticCatalog {
	c := NewStaticCatalog("personal")
	c.SetApp("personal", AppRecord{Name: "web", Flycast: addrs(webFlycast), Machines: []MachineRecord{
		{ID: "m1", Region: "ams", Group: "app", Addr: netip.MustParseAddr(webM1), Started: true},
		{ID: "m2", Region: "ord", Group: "worker", Addr: netip.MustParseAddr(webM2), Started: true},
		{ID: "m3", Region: "fra", Group: "app", Addr: netip.MustParseAddr(webM3)},
	}})
	c.SetApp("personal", AppRecord{Name: "sleepy", Flycast: addrs("fdaa:0:2a:0:1::8"), Machines: []MachineRecord{
		{ID: "s1", Region: "ams", Group: "app", Addr: netip.MustParseAddr("fdaa:0:2a:a7b:1:4:0:2")},
	}})
	c.SetApp("personal", AppRecord{Name: "quiet"}) // no Flycast address, no machine
	c.SetApp("acme", AppRecord{Name: "secret", Flycast: addrs("fdaa:0:99:0:1::2"), Machines: []MachineRecord{
		{ID: "a1", Region: "ams", Group: "app", Addr: netip.MustParseAddr(acmeM1), Started: true},
	}})
	return c
}

func addrs(ss ...string) []netip.Addr {
	out := make([]netip.Addr, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParseAddr(s)
	}
	return out
}

func query(name string, qtype uint16) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	return m
}

// ask serves one query from caller through h and returns the reply.
func ask(t testing.TB, h *Handler, caller string, tcp bool, q *dns.Msg) *dns.Msg {
	t.Helper()
	w := newRecorder(caller, tcp)
	h.ServeDNS(w, q)
	return w.reply(t)
}

// rrStrings renders records as "<ttl> <type> <data>", without the owner.
func rrStrings(rrs []dns.RR) []string {
	var out []string
	for _, rr := range rrs {
		h := rr.Header()
		data := strings.TrimPrefix(rr.String(), h.String())
		out = append(out, fmt.Sprintf("%d %s %s", h.Ttl, dns.TypeToString[h.Rrtype], data))
	}
	return out
}
