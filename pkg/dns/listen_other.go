//go:build !linux

package dns

import (
	"errors"
	"syscall"
)

// errNoDevice is a bind to a device off Linux, which has no SO_BINDTODEVICE.
var errNoDevice = errors.New("binding a DNS socket to a device needs Linux")

// bindToDevice fails for any device: only Linux can bind a socket to one.
func bindToDevice(device string) func(string, string, syscall.RawConn) error {
	return func(string, string, syscall.RawConn) error {
		if device == "" {
			return nil
		}
		return errNoDevice
	}
}
