//go:build !linux

package hostnet

import "net/netip"

// IsolateOrgs answers ErrNotLinux: the rules are nftables, which only Linux has.
func IsolateOrgs(string, []netip.Prefix) error { return ErrNotLinux }

// RemoveIsolation answers ErrNotLinux.
func RemoveIsolation(string) error { return ErrNotLinux }

// IsolationIntact answers ErrNotLinux.
func IsolationIntact(string, []netip.Prefix) (bool, error) { return false, ErrNotLinux }

// IsolationTables answers ErrNotLinux.
func IsolationTables(string) ([]string, error) { return nil, ErrNotLinux }
