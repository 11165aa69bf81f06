package flycast

import "golang.org/x/sys/unix"

// socketpairFDs makes the two descriptors of socketPair, close-on-exec from the start.
func socketpairFDs() ([2]int, error) {
	return unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
}
