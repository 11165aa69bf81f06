//go:build !linux

package proxy

import "net"

// listenConfig binds plainly: without Linux's IPV6_FREEBIND only addresses on an
// interface (loopback) can be bound, which is all the proxy gets off Linux, where no
// agent routes Flycast addresses.
var listenConfig = net.ListenConfig{}
