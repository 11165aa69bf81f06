package dns

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// bindToDevice sets SO_BINDTODEVICE: the socket then only sees packets that came in on
// that device, and shares its address with sockets bound to other devices.
func bindToDevice(device string) func(string, string, syscall.RawConn) error {
	return func(_, _ string, c syscall.RawConn) error {
		if device == "" {
			return nil
		}
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = unix.SetsockoptString(int(fd), unix.SOL_SOCKET, unix.SO_BINDTODEVICE, device)
		})
		return errors.Join(err, serr)
	}
}
