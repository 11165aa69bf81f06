package dns

import (
	"testing"

	"github.com/miekg/dns"
)

// FuzzHandler feeds any message that unpacks to the handler, which must
// not panic and must write exactly one reply that packs.
func FuzzHandler(f *testing.F) {
	seeds := []*dns.Msg{
		query("web.flycast.", dns.TypeAAAA),
		query("top2.nearest.of.web.internal.", dns.TypeAAAA),
		query("all.vms.web.internal.", dns.TypeTXT),
		query("_apps.internal.", dns.TypeANY),
		query("m3.vm.web.internal.", dns.TypeA),
		query(`we\.b.internal.`, dns.TypeAAAA),
		query("example.com.", dns.TypeA),
		new(dns.Msg),
	}
	withEDNS := query("crowd.internal.", dns.TypeAAAA)
	withEDNS.SetEdns0(600, true)
	seeds = append(seeds, withEDNS)
	for _, m := range seeds {
		b, err := m.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
	}
	c, _ := crowdedCatalog()
	for _, app := range []string{"web", "sleepy", "quiet"} {
		a, _ := testCatalog().App("personal", app)
		c.SetApp("personal", a)
	}
	// No upstream: other names get SERVFAIL without touching the network.
	h := NewHandler(c, NewForwarder(ForwardConfig{}))
	f.Fuzz(func(t *testing.T, b []byte, tcp bool) {
		var m dns.Msg
		if m.Unpack(b) != nil {
			t.Skip()
		}
		w := newRecorder(loopback, tcp)
		h.ServeDNS(w, &m)
		w.reply(t)
	})
}
