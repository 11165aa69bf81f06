package dns

import "errors"

// Sentinels callers match with errors.Is; the wrapping error names the
// address or the query.
var (
	// ErrNotPrivate: a listen address is neither loopback nor inside
	// fdaa::/16, so binding it could expose the resolver beyond the machine.
	ErrNotPrivate = errors.New("listen address is not loopback or in fdaa::/16")
	// ErrNoAddress: a Server was given no address to listen on.
	ErrNoAddress = errors.New("no listen address")
	// ErrStarted: Start was called on a Server that is already serving.
	ErrStarted = errors.New("dns server already started")
	// ErrBusy: the forwarder already has its maximum of queries in flight.
	ErrBusy = errors.New("too many forwarded queries in flight")
	// ErrNoUpstreams: there is no upstream resolver to forward to.
	ErrNoUpstreams = errors.New("no upstream resolver")
	// ErrUpstreamsFailed: every upstream failed, refused or timed out.
	ErrUpstreamsFailed = errors.New("every upstream resolver failed")
)
