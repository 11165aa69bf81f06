package hostnames

import "errors"

var (
	// ErrInvalidName is returned for a name that is not lowercase DNS labels under .flycast or .internal.
	ErrInvalidName = errors.New("invalid host name")
	// ErrInvalidAddr is returned for an address that is unset, unspecified or carries a zone.
	ErrInvalidAddr = errors.New("invalid address")
	// ErrInvalidID is returned for an installation ID that is not 1 to 32 lowercase hex digits.
	ErrInvalidID = errors.New("invalid installation ID")
	// ErrClosed is returned by Publish after Close.
	ErrClosed = errors.New("publisher closed")
)
