//go:build !linux

package flycast

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// socketpairFDs makes the two descriptors of socketPair. Without SOCK_CLOEXEC (darwin)
// they are marked close-on-exec under the fork lock, so no child started meanwhile
// inherits them.
func socketpairFDs() ([2]int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err == nil {
		unix.CloseOnExec(fds[0])
		unix.CloseOnExec(fds[1])
	}
	return fds, err
}
