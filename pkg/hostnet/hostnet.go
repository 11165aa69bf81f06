// Package hostnet changes the host's own network configuration through netlink: the addresses of machine bridges (and, with the proxy, local routes).
package hostnet

import "errors"

// ErrNoPrivilege means the agent may not change the host's network (it is not root and
// lacks CAP_NET_ADMIN); callers fall back and say so once.
var ErrNoPrivilege = errors.New("no privilege to change the host network (run the agent as root or with CAP_NET_ADMIN)")

// ErrNotLinux is every change to the host's network on a system other than Linux: the
// changes go through netlink, which only Linux has, and so does the agent that makes them.
var ErrNotLinux = errors.New("the hangar agent runs on Linux only; on macOS run it in a Linux VM")

// LinkRef names a device and its interface index.
type LinkRef struct {
	Name  string
	Index int
}
