// Package dns answers .flycast and .internal names for an organization's machines and forwards every other name.
package dns

import (
	"context"
	"errors"
	"net/netip"
	"time"

	"github.com/miekg/dns"
)

// Handler is a dns.Handler that answers the private zones from a Catalog,
// per the caller's organization, and forwards every other name. Set its
// fields before serving.
type Handler struct {
	// Catalog answers who the caller is and what its org holds.
	Catalog Catalog
	// Forwarder resolves every other name; nil refuses them.
	Forwarder *Forwarder
	// OnFlycastLookup, when set, is called for a query of an existing
	// <app>.flycast name (any type: resolvers ask A and AAAA together), in
	// its own goroutine after the reply is written, so that the agent can
	// start waking the app while the client connects. Not for unknown
	// names or refused callers, nor while a call for the same app runs or
	// maxLookupHooks calls do (see lookupHooks).
	OnFlycastLookup func(org, app string, caller netip.Addr)

	metrics metrics
	hooks   lookupHooks
}

var _ dns.Handler = (*Handler)(nil)

// NewHandler returns a Handler answering from c and forwarding through f.
func NewHandler(c Catalog, f *Forwarder) *Handler {
	return &Handler{Catalog: c, Forwarder: f}
}

// ServeDNS implements dns.Handler; it writes exactly one reply.
func (h *Handler) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	start := time.Now()
	z, o := h.serve(w, r)
	h.metrics.add(z, o, time.Since(start))
}

func (h *Handler) serve(w dns.ResponseWriter, r *dns.Msg) (zone, outcome) {
	switch {
	case r.Response || len(r.Question) != 1:
		reply(w, r, dns.RcodeFormatError)
		return zoneOther, outcomeMalformed
	case r.Opcode != dns.OpcodeQuery:
		reply(w, r, dns.RcodeNotImplemented)
		return zoneOther, outcomeMalformed
	}
	if isPrivateReverse(r.Question[0].Name) {
		reply(w, r, dns.RcodeNameError) // RFC 6303: never ask the internet about private addresses
		return zoneOther, outcomeNXDomain
	}
	lk := parseName(r.Question[0].Name)
	if lk.zone == zoneOther {
		return zoneOther, h.forward(w, r)
	}
	return lk.zone, h.answer(w, r, lk)
}

// answer replies to a name in a private zone, never forwarding it.
func (h *Handler) answer(w dns.ResponseWriter, r *dns.Msg, lk lookup) outcome {
	q := r.Question[0]
	caller := callerOf(w)
	org, ok := h.Catalog.OrgOf(caller)
	if !ok || q.Qclass != dns.ClassINET {
		reply(w, r, dns.RcodeRefused)
		return outcomeRefused
	}
	nd := h.resolve(org, lk, q.Name)
	m, o := authoritative(r, lk.zone, nd)
	write(w, r, m)
	if lk.kind == kindFlycast && nd.exists {
		h.wake(org, lk.app, caller)
	}
	return o
}

// authoritative builds the reply for an existing name (an answer, or
// NODATA when it has no record of the asked type) or a missing one
// (NXDOMAIN). Negative replies carry the zone's SOA.
func authoritative(r *dns.Msg, z zone, nd node) (*dns.Msg, outcome) {
	m := newReply(r, dns.RcodeSuccess)
	m.Authoritative = true
	m.Answer = ofType(nd.rrs, r.Question[0].Qtype)
	switch {
	case !nd.exists:
		m.Rcode, m.Answer, m.Ns = dns.RcodeNameError, nil, []dns.RR{soa(z)}
		return m, outcomeNXDomain
	case len(m.Answer) == 0:
		m.Answer, m.Ns = nil, []dns.RR{soa(z)}
		return m, outcomeNoData
	}
	return m, outcomeAnswered
}

// forward passes a name outside the private zones to the upstreams.
func (h *Handler) forward(w dns.ResponseWriter, r *dns.Msg) outcome {
	if h.Forwarder == nil {
		reply(w, r, dns.RcodeRefused)
		return outcomeRefused
	}
	resp, err := h.Forwarder.Forward(context.Background(), r, network(w))
	switch {
	case errors.Is(err, ErrBusy):
		reply(w, r, dns.RcodeRefused)
		return outcomeRefused
	case err != nil:
		reply(w, r, dns.RcodeServerFailure)
		return outcomeForwardFailed
	}
	write(w, r, resp)
	return outcomeForwarded
}

// wake runs the lookup hook without holding up the reply.
func (h *Handler) wake(org, app string, caller netip.Addr) {
	if hook := h.OnFlycastLookup; hook != nil {
		h.hooks.start(hook, org, app, caller)
	}
}

func newReply(r *dns.Msg, rcode int) *dns.Msg {
	m := new(dns.Msg)
	m.SetRcode(r, rcode)
	// Every name can be resolved here; nslookup complains without RA.
	m.RecursionAvailable = true
	return m
}

// reply writes an empty reply with rcode.
func reply(w dns.ResponseWriter, r *dns.Msg, rcode int) {
	write(w, r, newReply(r, rcode))
}

// write fits m to what the client accepts and sends it. A write error
// means the client has gone; there is no one left to tell.
func write(w dns.ResponseWriter, r, m *dns.Msg) {
	fit(w, r, m)
	_ = w.WriteMsg(m)
}
