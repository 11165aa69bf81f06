package agent

import (
	"encoding/json"
	"net/http"
)

// handlerFunc answers one request with a value to encode, or an error.
type handlerFunc func(r *http.Request) (any, error)

// route is an API endpoint: fn answers with one JSON value; stream (when set) writes its own response.
type route struct {
	pattern string
	fn      handlerFunc
	stream  http.HandlerFunc
}

// routes is the whole API, shaped like Fly's Machines API.
func (s *Server) routes() []route {
	return []route{
		{"GET /v1/agent", s.agentStatus, nil},
		{"POST /v1/agent/stop", s.agentStop, nil},
		{"GET /v1/agent/health", s.health, nil},
		{"POST /v1/agent/restart", s.restartAgent, nil},
		{"GET /v1/orgs", s.listOrgs, nil},
		{"GET /v1/apps", s.listApps, nil},
		{"POST /v1/apps", s.createApp, nil},
		{"GET /v1/apps/{app}", s.getApp, nil},
		{"DELETE /v1/apps/{app}", s.destroyApp, nil},
		{"GET /v1/apps/{app}/ips", s.listIPs, nil},
		{"POST /v1/apps/{app}/ips", s.allocateIP, nil},
		{"DELETE /v1/apps/{app}/ips/{addr}", s.releaseIP, nil},
		{"GET /v1/apps/{app}/machines", s.listMachines, nil},
		{"POST /v1/apps/{app}/machines", s.runMachine, nil},
		{"GET /v1/apps/{app}/machines/{id}", s.getMachine, nil},
		{"POST /v1/apps/{app}/machines/{id}/start", s.startMachine, nil},
		{"POST /v1/apps/{app}/machines/{id}/stop", s.stopMachine, nil},
		{"POST /v1/apps/{app}/machines/{id}/suspend", s.suspendMachine, nil},
		{"DELETE /v1/apps/{app}/machines/{id}", s.destroyMachine, nil},
		{"POST /v1/apps/{app}/machines/{id}/resize", s.resizeMachine, nil},
		{"POST /v1/apps/{app}/machines/{id}/attach", nil, s.attachMachine},
		{"POST /v1/apps/{app}/machines/{id}/exec", nil, s.execMachine},
		{"GET /v1/apps/{app}/exec/{exec}", s.execStatus, nil},
		{"POST /v1/apps/{app}/exec/{exec}/resize", s.resizeExec, nil},
		{"POST /v1/apps/{app}/proxy", nil, s.proxyApp},
		{"GET /v1/apps/{app}/volumes", s.listVolumes, nil},
		{"POST /v1/apps/{app}/volumes", s.createVolume, nil},
		{"GET /v1/apps/{app}/volumes/{id}", s.getVolume, nil},
		{"PUT /v1/apps/{app}/volumes/{id}/extend", s.extendVolume, nil},
		{"DELETE /v1/apps/{app}/volumes/{id}", s.destroyVolume, nil},
		{"GET /v1/apps/{app}/volumes/{id}/snapshots", s.listVolumeSnapshots, nil},
		{"POST /v1/apps/{app}/volumes/{id}/snapshots", s.createVolumeSnapshot, nil},
		{"GET /v1/apps/{app}/releases", s.listReleases, nil},
		{"GET /v1/apps/{app}/logs", nil, s.streamLogs},
		{"POST /v1/apps/{app}/deploy", nil, s.deployApp},
		{"GET /v1/apps/{app}/secrets", s.listSecrets, nil},
		{"POST /v1/apps/{app}/secrets", s.setSecrets, nil},
		{"POST /v1/apps/{app}/secrets/deploy", nil, s.deploySecrets},
		{"GET /v1/apps/{app}/scale", s.showScale, nil},
		{"POST /v1/apps/{app}/scale", nil, s.scaleApp},
		{"POST /v1/apps/{app}/scale/plan", s.planScale, nil},
		{"POST /v1/apps/{app}/scale/memory", s.scaleMemory, nil},
		{"GET /metrics", nil, s.metrics},
	}
}

// handle writes a handler's value as JSON, or its error as {"error": …} with its status.
func (s *Server) handle(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r)
		if err != nil {
			s.writeError(w, r, err)
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
