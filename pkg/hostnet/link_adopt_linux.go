package hostnet

import (
	"fmt"
	"os"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// File is a dup of the device's file, for a successor agent: while any process holds
// it the device stays, with its addresses, so a restart never takes it away.
func (l *Link) File() (*os.File, error) {
	fd, err := unix.Dup(int(l.tun.Fds[0].Fd()))
	if err != nil {
		return nil, fmt.Errorf("handing over device %s: %w", l.tun.Name, err)
	}
	return os.NewFile(uintptr(fd), l.tun.Name), nil
}

// AdoptLink takes over the device name from the file a predecessor agent handed over.
func AdoptLink(name string, f *os.File) (*Link, error) {
	link, err := netlink.LinkByName(name)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("finding device %s handed over: %w", name, err)
	}
	tun := &netlink.Tuntap{LinkAttrs: netlink.LinkAttrs{Name: name, Index: link.Attrs().Index}, Fds: []*os.File{f}}
	return &Link{tun: tun}, nil
}
