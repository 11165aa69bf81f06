package proxy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
)

// Errors a request can end with, wrapped in a one-line message naming the
// app (and machine) that the client receives as the response body; test
// them with errors.Is. statusOf maps each to its HTTP status.
var (
	// ErrNotPrivate means Listen was asked for an address that is neither
	// loopback nor inside fdaa::/16.
	ErrNotPrivate = errors.New("address is neither loopback nor inside fdaa::/16")
	// ErrNoRoute means no service answers at the address or Host (404).
	ErrNoRoute = errors.New("no app")
	// ErrOtherOrg means the caller's address belongs to another organization's
	// private network (403); its connections are refused whatever the app.
	ErrOtherOrg = errors.New("the caller is outside the app's organization")
	// ErrAutoStartOff means nothing runs and the app may not be woken (503).
	ErrAutoStartOff = errors.New("no started machines and auto_start_machines = false")
	// ErrNoMachines means the app has no machine to start (503).
	ErrNoMachines = errors.New("no machines")
	// ErrMachineList means the daemon could not read the app's machines (503).
	ErrMachineList = errors.New("reading its machines")
	// ErrStartFailed means the machine being woken failed (503).
	ErrStartFailed = errors.New("could not start")
	// ErrQueueFull means the app already has QueueLimit requests waiting (503).
	ErrQueueFull = errors.New("too many requests waiting")
	// ErrWakeTimeout means no machine became reachable within WakeTimeout (504).
	ErrWakeTimeout = errors.New("timed out")
	// ErrUpstream means the machine refused or dropped the request after it
	// was reachable: it crashed or is stopping (502).
	ErrUpstream = errors.New("failed during the request")
	// ErrClosed means the proxy is shutting down (503).
	ErrClosed = errors.New("proxy is shutting down")
)

// statusClientGone records a request whose client left before an answer
// (nginx's 499); nothing is written.
const statusClientGone = 499

// statusOf is the one place that maps why a request failed to its status:
// 404 for no route, 403 for a caller of another organization, 502 for a machine that failed mid-request, 504 for a wake
// timeout, and 503 for everything that stops a wake or the queue.
func statusOf(err error) int {
	switch {
	case errors.Is(err, context.Canceled):
		return statusClientGone
	case errors.Is(err, ErrNoRoute):
		return http.StatusNotFound
	case errors.Is(err, ErrOtherOrg):
		return http.StatusForbidden
	case errors.Is(err, ErrUpstream):
		return http.StatusBadGateway
	case errors.Is(err, ErrWakeTimeout):
		return http.StatusGatewayTimeout
	default:
		return http.StatusServiceUnavailable
	}
}

// fail answers with err's status and its message as a one-line body;
// 503 and 504 carry Retry-After.
func (p *Proxy) fail(w http.ResponseWriter, f *forward, err error) {
	code := statusOf(err)
	f.status = code
	if code == statusClientGone {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Fly-Request-Id", f.id)
	h.Set("Via", via)
	if code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout {
		h.Set("Retry-After", "1")
	}
	w.WriteHeader(code)
	_, _ = io.WriteString(w, oneLine(err.Error())+"\n")
}

// oneLine keeps a reason on one line whatever a machine's log said.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 500 {
		s = s[:500] + "…"
	}
	return s
}
