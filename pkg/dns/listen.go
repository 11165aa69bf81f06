package dns

import (
	"net"
	"net/netip"
)

// bindAttempts bounds the search for a port free over both UDP and TCP
// when port 0 asks for any.
const bindAttempts = 16

// bindPair binds a over UDP, then TCP on the same port. With port 0 the
// kernel picks the UDP port, which may be taken over TCP; another is tried.
func bindPair(a netip.AddrPort) (*net.UDPConn, *net.TCPListener, error) {
	for attempt := 1; ; attempt++ {
		pc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(a))
		if err != nil {
			return nil, nil, err
		}
		port := pc.LocalAddr().(*net.UDPAddr).AddrPort().Port()
		ln, err := net.ListenTCP("tcp", net.TCPAddrFromAddrPort(netip.AddrPortFrom(a.Addr(), port)))
		if err == nil {
			return pc, ln, nil
		}
		pc.Close()
		if a.Port() != 0 || attempt == bindAttempts {
			return nil, nil, err
		}
	}
}
