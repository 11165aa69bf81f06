package agent

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/deploy"
	"github.com/hangarhq/hangar/toml"
)

// deployApp streams a deploy's progress as NDJSON; the last line is "done" or "error".
func (s *Server) deployApp(w http.ResponseWriter, r *http.Request) {
	dreq, err := s.deployRequest(r)
	s.runDeploy(w, r, dreq, err)
}

// runDeploy runs a deploy (or a secrets deploy's restart), one per app at a time, and
// streams its progress; err, from building dreq, is answered instead.
func (s *Server) runDeploy(w http.ResponseWriter, r *http.Request, dreq deploy.Request, err error) {
	if err == nil {
		err = s.lockDeploy(r.PathValue("app"))
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer s.unlockDeploy(r.PathValue("app"))
	app := dreq.App
	emit := eventWriter(w)
	s.log.Info("deploy started", "app", app, "image", dreq.Image, "strategy", dreq.Strategy)
	if _, err := s.store.DeploySecrets(app); err != nil { // staged secrets go with this release
		emit(api.DeployEvent{Kind: api.EventError, Error: fmt.Sprintf("deploying the staged secrets of %s: %v", app, err)})
		return
	}
	rel, err := deploy.Run(s.life, s.mgr, s.engine, s.store, dreq, func(ev deploy.Event) { emit(toAPIEvent(ev)) })
	if err != nil {
		s.log.Info("deploy failed", "app", app, "error", err)
		emit(api.DeployEvent{Kind: api.EventError, Error: err.Error()})
		return
	}
	s.machinesChanged()
	if hint := s.reachHint(app); hint != "" {
		emit(api.DeployEvent{Kind: api.EventWarn, Text: hint})
	}
	out := toAPIRelease(rel)
	emit(api.DeployEvent{Kind: api.EventDone, Release: &out})
}

// deployRequest reads and checks the request before anything is streamed.
func (s *Server) deployRequest(r *http.Request) (deploy.Request, error) {
	var req api.DeployRequest
	if err := decodeBody(r, &req); err != nil {
		return deploy.Request{}, err
	}
	if _, err := s.machines(); err != nil {
		return deploy.Request{}, err
	}
	if _, err := s.store.App(r.PathValue("app")); err != nil {
		return deploy.Request{}, err
	}
	cfg, err := toml.Parse(req.ConfigPath, []byte(req.Config))
	if err != nil {
		return deploy.Request{}, badRequest(err.Error())
	}
	if toml.HasErrors(cfg.Validate()) {
		return deploy.Request{}, badRequest(fmt.Sprintf("%s is not valid: run hangar config validate", req.ConfigPath))
	}
	d := newDeployRequest(r.PathValue("app"), req, cfg)
	d.Unrouted = s.plane != nil && s.flycast.Loopback.IsValid()
	return d, nil
}

func newDeployRequest(app string, req api.DeployRequest, cfg *toml.Config) deploy.Request {
	d := deploy.Request{App: app, Config: cfg, ConfigText: req.Config, Image: req.Image, BuildDir: req.BuildDir,
		HA: req.HA, Strategy: req.Strategy, WaitTimeout: time.Duration(req.WaitTimeout) * time.Second, Region: cfg.PrimaryRegion}
	if d.Image == "" && cfg.Build != nil {
		d.Image = cfg.Build.Image
	}
	if d.Strategy == "" && cfg.Deploy != nil {
		d.Strategy = cfg.Deploy.Strategy
	}
	return d
}

func (s *Server) lockDeploy(app string) error {
	s.deployMu.Lock()
	defer s.deployMu.Unlock()
	if s.deploying[app] {
		return &requestError{status: http.StatusConflict, code: "deploy_running", msg: "a deploy of " + app + " is already running: wait for it to finish"}
	}
	s.deploying[app] = true
	return nil
}

func (s *Server) unlockDeploy(app string) {
	s.deployMu.Lock()
	defer s.deployMu.Unlock()
	delete(s.deploying, app)
}

// eventWriter writes one JSON line per event and flushes it; safe from several goroutines.
// Writes to a client that went away fail quietly: the deploy goes on.
func eventWriter(w http.ResponseWriter) func(api.DeployEvent) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	var mu sync.Mutex
	enc := json.NewEncoder(w)
	flusher, _ := w.(http.Flusher)
	return func(ev api.DeployEvent) {
		mu.Lock()
		defer mu.Unlock()
		if enc.Encode(ev) == nil && flusher != nil {
			flusher.Flush()
		}
	}
}

func toAPIEvent(ev deploy.Event) api.DeployEvent {
	return api.DeployEvent{Kind: ev.Kind, Text: ev.Text, Layer: ev.Layer, Current: ev.Current, Total: ev.Total, MachineID: ev.MachineID, Addr: ev.Addr}
}

// reachHint tells how to reach the app when this agent does not route Flycast addresses,
// since "http://<app>.flycast" then does not work from this host.
func (s *Server) reachHint(app string) string {
	switch {
	case s.flycast == nil || s.plane == nil:
		return "this hangar agent is not serving Flycast addresses (see its log): the app answers only on its machines' 6PN addresses (hangar ips private)"
	case s.flycast.Loopback.IsValid():
		return fmt.Sprintf("HTTP services also answer on this agent's loopback port by Host header: curl -H 'Host: %s.flycast' http://%s/", app, s.flycast.Loopback)
	}
	return ""
}
