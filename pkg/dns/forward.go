package dns

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/miekg/dns"
)

// Defaults taken from Docker's embedded DNS and uncloud, which forward the
// same way: a bounded number of queries in flight, a few seconds each.
const (
	DefaultForwardTimeout = 3 * time.Second
	DefaultMaxInFlight    = 1024
)

// ForwardConfig says where and how names outside the private zones are
// resolved.
type ForwardConfig struct {
	// Upstreams are tried in order.
	Upstreams []netip.AddrPort
	// Timeout bounds each upstream attempt; zero means DefaultForwardTimeout.
	Timeout time.Duration
	// MaxInFlight bounds concurrent forwards, beyond which queries are
	// refused; zero means DefaultMaxInFlight.
	MaxInFlight int
}

// Forwarder relays queries to upstream resolvers, trying the next one when
// an upstream answers SERVFAIL or REFUSED, fails or times out.
type Forwarder struct {
	upstreams []netip.AddrPort
	timeout   time.Duration
	slots     chan struct{} // one token per forward in flight
	clients   map[string]*dns.Client
}

// NewForwarder returns a Forwarder for cfg.
func NewForwarder(cfg ForwardConfig) *Forwarder {
	f := &Forwarder{
		upstreams: slices.Clone(cfg.Upstreams),
		timeout:   orDefault(cfg.Timeout, DefaultForwardTimeout),
		slots:     make(chan struct{}, orDefault(cfg.MaxInFlight, DefaultMaxInFlight)),
	}
	f.clients = map[string]*dns.Client{
		"udp": {Net: "udp", Timeout: f.timeout},
		"tcp": {Net: "tcp", Timeout: f.timeout},
	}
	return f
}

// orDefault returns v, or def when v is not positive.
func orDefault[T time.Duration | int](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// Upstreams returns the upstream resolvers, in the order they are tried.
func (f *Forwarder) Upstreams() []netip.AddrPort { return slices.Clone(f.upstreams) }

// Forward sends r to the upstreams over network ("udp" or "tcp") and
// returns the first usable reply, with r's id. It fails with ErrBusy when
// too many forwards are in flight, ErrNoUpstreams without upstreams, and
// ErrUpstreamsFailed when none answered usefully.
func (f *Forwarder) Forward(ctx context.Context, r *dns.Msg, network string) (*dns.Msg, error) {
	if len(f.upstreams) == 0 {
		return nil, ErrNoUpstreams
	}
	select {
	case f.slots <- struct{}{}:
		defer func() { <-f.slots }()
	default:
		return nil, ErrBusy
	}
	q := r.Copy()
	q.Id = dns.Id() // a fresh id per hop, as resolvers do against spoofing
	var err error
	for _, up := range f.upstreams {
		var resp *dns.Msg
		if resp, err = f.exchange(ctx, q, network, up); err == nil {
			resp.Id = r.Id
			return resp, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("forwarding %s: %w: %w", qname(r), ErrUpstreamsFailed, err)
}

// exchange asks one upstream, within the forwarder's timeout.
func (f *Forwarder) exchange(ctx context.Context, q *dns.Msg, network string, up netip.AddrPort) (*dns.Msg, error) {
	c, ok := f.clients[network]
	if !ok {
		c = f.clients["udp"]
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	resp, _, err := c.ExchangeContext(ctx, q, up.String())
	switch {
	case err != nil:
		return nil, fmt.Errorf("asking %s: %w", up, err)
	case resp.Rcode == dns.RcodeServerFailure || resp.Rcode == dns.RcodeRefused:
		return nil, fmt.Errorf("asking %s: answered %s", up, dns.RcodeToString[resp.Rcode])
	}
	return resp, nil
}

func qname(r *dns.Msg) string {
	if len(r.Question) == 0 {
		return "(no question)"
	}
	return r.Question[0].Name
}
