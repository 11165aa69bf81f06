package dns

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
)

func TestServePrivateNames(t *testing.T) {
	const (
		ams = "5 AAAA " + webM1
		ord = "5 AAAA " + webM2
		fra = "5 AAAA " + webM3
	)
	tests := []struct {
		name   string
		qname  string
		qtype  uint16
		caller string
		rcode  int
		answer []string
		soa    string // the SOA's zone in the authority section, "" for none
	}{
		{"flycast AAAA", "web.flycast.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{"60 AAAA " + webFlycast}, ""},
		{"flycast mixed case", "WeB.FlyCast.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{"60 AAAA " + webFlycast}, ""},
		{"flycast A is NODATA", "web.flycast.", dns.TypeA, loopback, dns.RcodeSuccess, nil, "flycast."},
		{"flycast TXT is NODATA", "web.flycast.", dns.TypeTXT, loopback, dns.RcodeSuccess, nil, "flycast."},
		{"flycast MX is NODATA", "web.flycast.", dns.TypeMX, loopback, dns.RcodeSuccess, nil, "flycast."},
		{"flycast ANY", "web.flycast.", dns.TypeANY, loopback, dns.RcodeSuccess, []string{"60 AAAA " + webFlycast}, ""},
		{"flycast of sleeping app", "sleepy.flycast.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{"60 AAAA fdaa:0:2a:0:1::8"}, ""},
		{"flycast unknown app", "ghost.flycast.", dns.TypeAAAA, loopback, dns.RcodeNameError, nil, "flycast."},
		{"flycast unknown app A", "ghost.flycast.", dns.TypeA, loopback, dns.RcodeNameError, nil, "flycast."},
		{"flycast app without address", "quiet.flycast.", dns.TypeAAAA, loopback, dns.RcodeNameError, nil, "flycast."},
		{"flycast below an app", "x.web.flycast.", dns.TypeAAAA, loopback, dns.RcodeNameError, nil, "flycast."},
		{"flycast apex SOA", "flycast.", dns.TypeSOA, loopback, dns.RcodeSuccess, []string{"60 SOA ns.flycast. hostmaster.flycast. 1 3600 600 86400 60"}, ""},
		{"flycast apex AAAA", "flycast.", dns.TypeAAAA, loopback, dns.RcodeSuccess, nil, "flycast."},

		{"app started machines", "web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{ams, ord}, ""},
		{"app upper case", "WEB.INTERNAL.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{ams, ord}, ""},
		{"app A is NODATA", "web.internal.", dns.TypeA, loopback, dns.RcodeSuccess, nil, "internal."},
		{"app TXT is NODATA", "web.internal.", dns.TypeTXT, loopback, dns.RcodeSuccess, nil, "internal."},
		{"global alias", "global.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{ams, ord}, ""},
		{"app none started", "sleepy.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, nil, "internal."},
		{"app no machines", "quiet.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, nil, "internal."},
		{"app unknown", "ghost.internal.", dns.TypeAAAA, loopback, dns.RcodeNameError, nil, "internal."},
		{"region", "ams.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{ams}, ""},
		{"region upper case", "ORD.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{ord}, ""},
		{"region only stopped", "fra.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, nil, "internal."},
		{"region none", "syd.web.internal.", dns.TypeAAAA, loopback, dns.RcodeNameError, nil, "internal."},
		{"region of unknown app", "ams.ghost.internal.", dns.TypeAAAA, loopback, dns.RcodeNameError, nil, "internal."},
		{"vm started", "m1.vm.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{ams}, ""},
		{"vm stopped still answers", "m3.vm.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{fra}, ""},
		{"vm upper case", "M2.VM.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{ord}, ""},
		{"vm unknown", "m9.vm.web.internal.", dns.TypeAAAA, loopback, dns.RcodeNameError, nil, "internal."},
		{"vm parent exists", "vm.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, nil, "internal."},
		{"process group", "app.process.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{ams}, ""},
		{"process other group", "worker.process.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{ord}, ""},
		{"process unknown group", "db.process.web.internal.", dns.TypeAAAA, loopback, dns.RcodeNameError, nil, "internal."},
		{"process parent exists", "process.web.internal.", dns.TypeTXT, loopback, dns.RcodeSuccess, nil, "internal."},
		{"nearest top1", "top1.nearest.of.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{ams}, ""},
		{"nearest top5", "top5.nearest.of.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, []string{ams, ord}, ""},
		{"nearest top0", "top0.nearest.of.web.internal.", dns.TypeAAAA, loopback, dns.RcodeNameError, nil, "internal."},
		{"nearest parent", "nearest.of.web.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, nil, "internal."},
		{"too deep", "a.b.c.d.web.internal.", dns.TypeAAAA, loopback, dns.RcodeNameError, nil, "internal."},

		{"apps TXT", "_apps.internal.", dns.TypeTXT, loopback, dns.RcodeSuccess, []string{`5 TXT "quiet,sleepy,web"`}, ""},
		{"apps AAAA is NODATA", "_apps.internal.", dns.TypeAAAA, loopback, dns.RcodeSuccess, nil, "internal."},
		{"vms TXT", "vms.web.internal.", dns.TypeTXT, loopback, dns.RcodeSuccess, []string{`5 TXT "m1 ams,m2 ord"`}, ""},
		{"all vms TXT", "all.vms.web.internal.", dns.TypeTXT, loopback, dns.RcodeSuccess, []string{`5 TXT "m1 ams,m2 ord,m3 fra"`}, ""},
		{"vms none started", "vms.sleepy.internal.", dns.TypeTXT, loopback, dns.RcodeSuccess, nil, "internal."},
		{"vms unknown app", "vms.ghost.internal.", dns.TypeTXT, loopback, dns.RcodeNameError, nil, "internal."},
		{"regions TXT", "regions.web.internal.", dns.TypeTXT, loopback, dns.RcodeSuccess, []string{`5 TXT "ams,ord"`}, ""},
		{"all regions TXT", "all.regions.web.internal.", dns.TypeTXT, loopback, dns.RcodeSuccess, []string{`5 TXT "ams,fra,ord"`}, ""},
		{"internal apex SOA", "internal.", dns.TypeSOA, loopback, dns.RcodeSuccess, []string{"5 SOA ns.internal. hostmaster.internal. 1 3600 600 86400 5"}, ""},

		{"machine caller sees its org", "web.flycast.", dns.TypeAAAA, webM3, dns.RcodeSuccess, []string{"60 AAAA " + webFlycast}, ""},
		{"other org's caller", "secret.flycast.", dns.TypeAAAA, acmeM1, dns.RcodeSuccess, []string{"60 AAAA fdaa:0:99:0:1::2"}, ""},
		{"orgs are apart", "web.flycast.", dns.TypeAAAA, acmeM1, dns.RcodeNameError, nil, "flycast."},
		{"orgs are apart internal", "secret.internal.", dns.TypeAAAA, loopback, dns.RcodeNameError, nil, "internal."},
		{"apps of other org", "_apps.internal.", dns.TypeTXT, acmeM1, dns.RcodeSuccess, []string{`5 TXT "secret"`}, ""},
		{"unknown caller flycast", "web.flycast.", dns.TypeAAAA, stranger, dns.RcodeRefused, nil, ""},
		{"unknown caller internal", "_apps.internal.", dns.TypeTXT, "192.0.2.1", dns.RcodeRefused, nil, ""},
		{"IPv6 loopback caller", "web.flycast.", dns.TypeAAAA, "::1", dns.RcodeSuccess, []string{"60 AAAA " + webFlycast}, ""},
		{"mapped loopback caller", "web.flycast.", dns.TypeAAAA, "::ffff:127.0.0.1", dns.RcodeSuccess, []string{"60 AAAA " + webFlycast}, ""},
	}
	h := NewHandler(testCatalog(), nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ask(t, h, tt.caller, false, query(tt.qname, tt.qtype))
			if m.Rcode != tt.rcode {
				t.Errorf("rcode = %s, want %s", dns.RcodeToString[m.Rcode], dns.RcodeToString[tt.rcode])
			}
			if diff := cmp.Diff(tt.answer, rrStrings(m.Answer)); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			checkAuthority(t, m, tt.soa)
			if refused := tt.rcode == dns.RcodeRefused; m.Authoritative == refused {
				t.Errorf("AA = %v for rcode %s", m.Authoritative, dns.RcodeToString[m.Rcode])
			}
			if !m.RecursionAvailable {
				t.Error("RA is not set")
			}
		})
	}
}

// checkAuthority checks the authority section holds the SOA of zone, or
// nothing when zone is "".
func checkAuthority(t *testing.T, m *dns.Msg, zone string) {
	t.Helper()
	var got string
	if len(m.Ns) == 1 {
		if s, ok := m.Ns[0].(*dns.SOA); ok && s.Minttl == s.Hdr.Ttl {
			got = s.Hdr.Name
		}
	}
	if got != zone || len(m.Ns) > 1 {
		t.Errorf("authority = %v, want the SOA of %q", m.Ns, zone)
	}
}

func TestAnswerEchoesQuestionSpelling(t *testing.T) {
	h := NewHandler(testCatalog(), nil)
	m := ask(t, h, loopback, false, query("WeB.FlyCast.", dns.TypeAAAA))
	if len(m.Answer) != 1 || m.Answer[0].Header().Name != "WeB.FlyCast." || m.Question[0].Name != "WeB.FlyCast." {
		t.Errorf("reply = %v, want the owner and question spelled WeB.FlyCast.", m)
	}
}

func TestServeMalformed(t *testing.T) {
	twoQuestions := query("web.flycast.", dns.TypeAAAA)
	twoQuestions.Question = append(twoQuestions.Question, twoQuestions.Question[0])
	update := query("web.flycast.", dns.TypeAAAA)
	update.Opcode = dns.OpcodeUpdate
	response := query("web.flycast.", dns.TypeAAAA)
	response.Response = true
	chaos := query("web.flycast.", dns.TypeAAAA)
	chaos.Question[0].Qclass = dns.ClassCHAOS
	tests := []struct {
		name  string
		q     *dns.Msg
		rcode int
	}{
		{"no question", new(dns.Msg), dns.RcodeFormatError},
		{"two questions", twoQuestions, dns.RcodeFormatError},
		{"a response", response, dns.RcodeFormatError},
		{"update", update, dns.RcodeNotImplemented},
		{"chaos class", chaos, dns.RcodeRefused},
	}
	h := NewHandler(testCatalog(), nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m := ask(t, h, loopback, false, tt.q); m.Rcode != tt.rcode || len(m.Answer) != 0 {
				t.Errorf("reply = %s with %d answers, want %s", dns.RcodeToString[m.Rcode], len(m.Answer), dns.RcodeToString[tt.rcode])
			}
		})
	}
}

func TestOtherNamesWithoutUpstreams(t *testing.T) {
	tests := []struct {
		name  string
		fwd   *Forwarder
		rcode int
	}{
		{"no forwarder", nil, dns.RcodeRefused},
		{"no upstream", NewForwarder(ForwardConfig{}), dns.RcodeServerFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHandler(testCatalog(), tt.fwd)
			if m := ask(t, h, loopback, false, query("example.com.", dns.TypeA)); m.Rcode != tt.rcode {
				t.Errorf("rcode = %s, want %s", dns.RcodeToString[m.Rcode], dns.RcodeToString[tt.rcode])
			}
		})
	}
}
