package dns

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// crowdedCatalog holds app "crowd" with 40 started machines and 30 apps
// with 20-byte names, so _apps.internal is well over 512 bytes.
func crowdedCatalog() (*StaticCatalog, []string) {
	c := NewStaticCatalog("personal")
	var ms []MachineRecord
	for i := range 40 {
		a := netip.MustParseAddr(fmt.Sprintf("fdaa:0:2a:a7b:1:%x:0:2", i+1))
		ms = append(ms, MachineRecord{ID: fmt.Sprintf("m%d", i), Region: "ams", Addr: a, Started: true})
	}
	c.SetApp("personal", AppRecord{Name: "crowd", Machines: ms})
	names := []string{"crowd"}
	for i := range 30 {
		name := fmt.Sprintf("app-with-long-name%02d", i)
		c.SetApp("personal", AppRecord{Name: name})
		names = append(names, name)
	}
	return c, names
}

func TestTruncation(t *testing.T) {
	tests := []struct {
		name      string
		qname     string
		qtype     uint16
		edns      uint16 // 0: no OPT record
		tcp       bool
		truncated bool
		limit     int // the packed reply must not exceed it
	}{
		{"UDP without EDNS", "crowd.internal.", dns.TypeAAAA, 0, false, true, 512},
		{"UDP EDNS below 512 means 512", "crowd.internal.", dns.TypeAAAA, 256, false, true, 512},
		{"UDP EDNS 700", "crowd.internal.", dns.TypeAAAA, 700, false, true, 700},
		{"UDP EDNS 4096", "crowd.internal.", dns.TypeAAAA, 4096, false, false, 4096},
		{"TCP without EDNS", "crowd.internal.", dns.TypeAAAA, 0, true, false, dns.MaxMsgSize},
		{"TXT UDP without EDNS", "_apps.internal.", dns.TypeTXT, 0, false, true, 512},
		{"TXT UDP EDNS 1232", "_apps.internal.", dns.TypeTXT, 1232, false, false, 1232},
		{"TXT TCP", "_apps.internal.", dns.TypeTXT, 0, true, false, dns.MaxMsgSize},
		{"small answer", "m1.vm.crowd.internal.", dns.TypeAAAA, 0, false, false, 512},
	}
	c, _ := crowdedCatalog()
	h := NewHandler(c, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := query(tt.qname, tt.qtype)
			if tt.edns > 0 {
				q.SetEdns0(tt.edns, false)
			}
			w := newRecorder(loopback, tt.tcp)
			h.ServeDNS(w, q)
			m := w.reply(t)
			if m.Truncated != tt.truncated || w.sizes[0] > tt.limit {
				t.Errorf("TC = %v, %d bytes; want TC = %v within %d bytes", m.Truncated, w.sizes[0], tt.truncated, tt.limit)
			}
			if !tt.truncated && len(m.Answer) == 0 {
				t.Error("untruncated reply has no answer")
			}
			if (tt.edns > 0) != (m.IsEdns0() != nil) {
				t.Errorf("reply OPT = %v for a query with EDNS size %d", m.IsEdns0(), tt.edns)
			}
		})
	}
}

func TestLongAppsTXTIsSplit(t *testing.T) {
	c, names := crowdedCatalog()
	h := NewHandler(c, nil)
	m := ask(t, h, loopback, true, query("_apps.internal.", dns.TypeTXT))
	if len(m.Answer) != 1 {
		t.Fatalf("answer = %v, want one TXT record", m.Answer)
	}
	txt := m.Answer[0].(*dns.TXT).Txt
	for _, s := range txt {
		if len(s) > 255 {
			t.Errorf("character-string of %d bytes", len(s))
		}
	}
	if got, want := strings.Join(txt, ""), strings.Join(slices.Sorted(slices.Values(names)), ","); len(txt) < 2 || got != want {
		t.Errorf("TXT = %q in %d strings, want %q in several", got, len(txt), want)
	}
}

func TestTXTEscapesBackslash(t *testing.T) {
	rr := txtRRs("x.internal.", 5, `a\b`)[0]
	b := make([]byte, 512)
	n, err := dns.PackRR(rr, b, 0, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	// The record ends with the character-string: length 3, then a \ b.
	if got := string(b[n-4 : n]); got != "\x03a\\b" {
		t.Errorf("packed TXT ends in %q, want %q", got, "\x03a\\b")
	}
}
