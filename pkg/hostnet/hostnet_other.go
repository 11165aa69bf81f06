//go:build !linux

package hostnet

import "net/netip"

// The agent, the only caller, runs on Linux; elsewhere the package builds so the CLI
// does, and every change answers ErrNotLinux.

// SkipGatewayDAD answers ErrNotLinux.
func SkipGatewayDAD(string, netip.Prefix) error { return ErrNotLinux }

// Link is a device of the agent's own; off Linux none can be opened.
type Link struct{}

// OpenLink answers ErrNotLinux.
func OpenLink(string) (*Link, error) { return nil, ErrNotLinux }

// Name is the device's name.
func (*Link) Name() string { return "" }

// Index is the device's interface index.
func (*Link) Index() int { return 0 }

// AddAddr answers ErrNotLinux.
func (*Link) AddAddr(netip.Addr) error { return ErrNotLinux }

// Close has nothing to close.
func (*Link) Close() error { return nil }

// LinksByAddr answers ErrNotLinux.
func LinksByAddr() (map[netip.Addr]LinkRef, error) { return nil, ErrNotLinux }

// AddLocalRoute answers ErrNotLinux.
func AddLocalRoute(netip.Prefix, netip.Addr) error { return ErrNotLinux }

// RemoveLocalRoute answers ErrNotLinux.
func RemoveLocalRoute(netip.Prefix) error { return ErrNotLinux }

// HasLocalRoute answers ErrNotLinux.
func HasLocalRoute(netip.Prefix) (bool, error) { return false, ErrNotLinux }

// AddLoopbackAddr answers ErrNotLinux.
func AddLoopbackAddr(netip.Addr) (bool, error) { return false, ErrNotLinux }

// RemoveLoopbackAddr answers ErrNotLinux.
func RemoveLoopbackAddr(netip.Addr) error { return ErrNotLinux }
