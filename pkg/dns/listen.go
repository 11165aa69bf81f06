package dns

import (
	"context"
	"net"
	"net/netip"
)

// bindAttempts bounds the search for a port free over both UDP and TCP
// when port 0 asks for any.
const bindAttempts = 16

// bindPair binds b over UDP, then TCP on the same port, both on b's device. With port 0
// the kernel picks the UDP port, which may be taken over TCP; another is tried.
func bindPair(b Bind) (*net.UDPConn, *net.TCPListener, error) {
	lc := net.ListenConfig{Control: bindToDevice(b.Device)}
	for attempt := 1; ; attempt++ {
		c, err := lc.ListenPacket(context.Background(), "udp", b.Addr.String())
		if err != nil {
			return nil, nil, err
		}
		pc := c.(*net.UDPConn)
		port := pc.LocalAddr().(*net.UDPAddr).AddrPort().Port()
		ln, err := lc.Listen(context.Background(), "tcp", netip.AddrPortFrom(b.Addr.Addr(), port).String())
		if err == nil {
			return pc, ln.(*net.TCPListener), nil
		}
		pc.Close()
		if b.Addr.Port() != 0 || attempt == bindAttempts {
			return nil, nil, err
		}
	}
}
