package agent

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// handlerFunc answers one request with a value to encode, or an error.
type handlerFunc func(r *http.Request) (any, error)

type route struct {
	pattern string
	fn      handlerFunc
}

// routes is the whole API, shaped like Fly's Machines API.
func (s *Server) routes() []route {
	return []route{
		{"GET /v1/agent", s.agentStatus},
		{"POST /v1/agent/stop", s.agentStop},
		{"GET /v1/orgs", s.listOrgs},
		{"GET /v1/apps", s.listApps},
		{"POST /v1/apps", s.createApp},
		{"GET /v1/apps/{app}", s.getApp},
		{"DELETE /v1/apps/{app}", s.destroyApp},
		{"GET /v1/apps/{app}/ips", s.listIPs},
		{"POST /v1/apps/{app}/ips", s.allocateIP},
		{"DELETE /v1/apps/{app}/ips/{addr}", s.releaseIP},
		{"GET /v1/apps/{app}/machines", s.listMachines},
	}
}

// handle writes a handler's value as JSON, or its error as {"error": …} with its status.
func (s *Server) handle(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r)
		if err != nil {
			status, code := statusOf(err)
			s.log.Info("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "error", err)
			writeJSON(w, status, errorBody(err, code))
			return
		}
		status := http.StatusOK
		if r.Method == http.MethodPost {
			status = http.StatusCreated
		}
		writeJSON(w, status, v)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v == nil {
		v = struct{}{}
	}
	_ = json.NewEncoder(w).Encode(v)
}

// decodeBody reads a JSON request body into v, refusing unknown fields.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest(fmt.Sprintf("reading the request body: %v", err))
	}
	return nil
}
