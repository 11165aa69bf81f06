package ipalloc

import "errors"

var (
	// ErrExhausted means every address of a pool's range is live, reserved
	// or still inside its grace period.
	ErrExhausted = errors.New("no free address left in the range")

	// ErrInUse means the requested address is already allocated.
	ErrInUse = errors.New("address already allocated")

	// ErrOutOfRange means the address lies outside the pool's range.
	ErrOutOfRange = errors.New("address outside the range")

	// ErrReserved means the address is never handed out: a subnet's first
	// address, a gateway, or a DNS server address.
	ErrReserved = errors.New("address is reserved")

	// ErrInGrace means the address was released less than the pool's
	// grace period ago and is kept out of circulation until then.
	ErrInGrace = errors.New("address released too recently to reuse")

	// ErrNotAllocated means the address is not currently allocated.
	ErrNotAllocated = errors.New("address not allocated")

	// ErrInvalidPrefix means a prefix cannot serve as an organization prefix
	// or as a pool's range.
	ErrInvalidPrefix = errors.New("invalid prefix")

	// ErrCorrupt means Check found stored state that breaks the pool's
	// invariants.
	ErrCorrupt = errors.New("inconsistent allocator state")
)
