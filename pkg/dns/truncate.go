package dns

import (
	"net"
	"net/netip"

	"github.com/miekg/dns"
)

// ednsSize is the UDP payload size this server advertises: the DNS Flag
// Day 2020 value, which avoids IP fragmentation on common paths.
const ednsSize = 1232

// fit sizes m for the client: over UDP it must fit the payload size the
// query advertised (512 bytes without EDNS0), over TCP 64 KiB. Records
// that do not fit are dropped and the TC bit tells the client to retry
// over TCP. A query with EDNS0 gets an OPT record back (RFC 6891).
func fit(w dns.ResponseWriter, r, m *dns.Msg) {
	size := dns.MinMsgSize
	if opt := r.IsEdns0(); opt != nil {
		size = int(opt.UDPSize())
		if m.IsEdns0() == nil {
			m.SetEdns0(ednsSize, false)
		}
	}
	if network(w) == "tcp" {
		size = dns.MaxMsgSize
	}
	m.Truncate(size)
}

// network is "tcp" or "udp", the transport the query came over.
func network(w dns.ResponseWriter) string {
	if _, ok := w.RemoteAddr().(*net.TCPAddr); ok {
		return "tcp"
	}
	return "udp"
}

// callerOf is the query's source address, unmapped and without zone; the
// zero Addr when the writer does not say.
func callerOf(w dns.ResponseWriter) netip.Addr {
	var ap netip.AddrPort
	switch a := w.RemoteAddr().(type) {
	case *net.UDPAddr:
		ap = a.AddrPort()
	case *net.TCPAddr:
		ap = a.AddrPort()
	}
	return ap.Addr().Unmap().WithZone("")
}
