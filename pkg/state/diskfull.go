package state

import (
	"errors"
	"strings"
	"syscall"
)

// IsDiskFull reports whether a write failed because the database's disk (or
// its quota, or the process's file size limit) is full. A failed write
// changes nothing: bbolt commits a transaction whole or not at all. bbolt
// reports a failed growth of the file as text ("file resize error: truncate
// …: file too large"), so the errno's text is matched too.
func IsDiskFull(err error) bool {
	for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG} {
		if errors.Is(err, errno) || err != nil && strings.Contains(err.Error(), errno.Error()) {
			return true
		}
	}
	return false
}
