package dns

import (
	"testing"

	"github.com/miekg/dns"
)

// BenchmarkServeFlycast measures the handler alone answering
// <app>.flycast AAAA, including packing the reply in the recorder.
func BenchmarkServeFlycast(b *testing.B) {
	h := NewHandler(testCatalog(), nil)
	q := query("web.flycast.", dns.TypeAAAA)
	w := newRecorder(loopback, false)
	b.ReportAllocs()
	for b.Loop() {
		w.msgs, w.sizes = w.msgs[:0], w.sizes[:0]
		h.ServeDNS(w, q)
	}
	if m := w.reply(b); len(m.Answer) != 1 {
		b.Fatalf("answer = %v", m.Answer)
	}
}

// BenchmarkServeInternal answers <app>.internal AAAA for two started
// machines out of three.
func BenchmarkServeInternal(b *testing.B) {
	h := NewHandler(testCatalog(), nil)
	q := query("web.internal.", dns.TypeAAAA)
	w := newRecorder(loopback, false)
	b.ReportAllocs()
	for b.Loop() {
		w.msgs, w.sizes = w.msgs[:0], w.sizes[:0]
		h.ServeDNS(w, q)
	}
}

func BenchmarkParseName(b *testing.B) {
	for b.Loop() {
		parseName("m1.vm.web.internal.")
	}
}
