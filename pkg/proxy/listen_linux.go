package proxy

import (
	"errors"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// listenConfig binds addresses the host only reaches through a local route (every
// Flycast address): IPV6_FREEBIND lets a socket bind an address that is not on an
// interface, so the proxy listens on exactly its Flycast addresses and never on [::],
// which would take the port on the host's public addresses too.
var listenConfig = net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_FREEBIND, 1)
	})
	if err != nil {
		return err
	}
	if errors.Is(serr, unix.ENOPROTOOPT) || errors.Is(serr, unix.EINVAL) {
		return nil // an IPv4 loopback socket: nothing to free
	}
	return serr
}}
