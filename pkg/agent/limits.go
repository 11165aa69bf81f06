package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Request bodies are small JSON values; a deploy carries a fly.toml, which can
// be longer. Over its limit a request is answered 413 and its connection closed.
const (
	maxBody       = 1 << 20
	maxDeployBody = 8 << 20
)

var bodyLimits = map[string]int64{"POST /v1/apps/{app}/deploy": maxDeployBody}

// limitBody caps what the route's handler can read of the request body.
func limitBody(pattern string, h http.Handler) http.Handler {
	limit := bodyLimits[pattern]
	if limit == 0 {
		limit = maxBody
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		h.ServeHTTP(w, r)
	})
}

// decodeBody reads a JSON request body into v: one JSON value, no unknown
// fields, within the route's limit.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.Decode(&json.RawMessage{}) != io.EOF {
		err = errors.New("more than one JSON value")
	}
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooLarge):
		return &requestError{status: http.StatusRequestEntityTooLarge, code: "too_large",
			msg: fmt.Sprintf("reading the request body: it is over the limit of %d MiB", tooLarge.Limit>>20)}
	case errors.Is(err, io.EOF):
		return badRequest("reading the request body: it is empty; send a JSON object")
	}
	return badRequest(fmt.Sprintf("reading the request body: %v", err))
}

// noRoute answers a path or method the API does not have.
func noRoute(r *http.Request) (any, error) {
	return nil, &requestError{status: http.StatusNotFound, code: "not_found",
		msg: fmt.Sprintf("this hangar agent has no %s %s: is the hangar binary newer than the agent? run hangar agent restart", r.Method, r.URL.Path)}
}

// awaitRecovery holds a request about machines or a deploy until the machine
// manager has adopted what an earlier agent left: right after a crash, a
// deploy would otherwise trip over a half-made machine the reconcile is about
// to forget, a listing would show it, and releases would show as pending one
// the reconcile is about to mark interrupted.
func (s *Server) awaitRecovery(pattern string, h http.Handler) http.Handler {
	if s.mgr == nil || !strings.Contains(pattern, "/machines") && !strings.HasSuffix(pattern, "/deploy") && !strings.HasSuffix(pattern, "/releases") {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-s.mgr.Recovered():
			h.ServeHTTP(w, r)
		case <-r.Context().Done():
		}
	})
}
