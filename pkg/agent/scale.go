package agent

import (
	"errors"
	"net/http"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/deploy"
	"github.com/hangarhq/hangar/pkg/state"
	"github.com/hangarhq/hangar/toml"
)

// scaling reads the app's deployed release, which scale copies machines from.
func (s *Server) scaling(r *http.Request) (*deploy.Scaling, error) {
	app := r.PathValue("app")
	if _, err := s.store.App(app); err != nil {
		return nil, err
	}
	mgr, err := s.machines()
	if err != nil {
		return nil, err
	}
	sc, err := deploy.NewScaling(mgr, s.engine, s.store, app)
	return sc, scaleError(err)
}

// scaleError gives the deploy package's scale mistakes their status.
func scaleError(err error) error {
	switch {
	case errors.Is(err, deploy.ErrNoRelease):
		return &requestError{status: http.StatusConflict, code: "no_release", msg: err.Error()}
	case errors.Is(err, deploy.ErrUnknownGroup), errors.Is(err, deploy.ErrBadCount), errors.Is(err, deploy.ErrMaxPerRegion):
		return badRequest(err.Error())
	}
	return err
}

// planScale answers what POST /scale would do with the same body.
func (s *Server) planScale(r *http.Request) (any, error) {
	_, steps, err := s.scalePlan(r)
	if err != nil {
		return nil, err
	}
	return toAPIPlan(steps), nil
}

func (s *Server) scalePlan(r *http.Request) (*deploy.Scaling, []deploy.ScaleStep, error) {
	var req api.ScaleRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, nil, err
	}
	sc, err := s.scaling(r)
	if err != nil {
		return nil, nil, err
	}
	sc.WithNewVolumes = req.WithNewVolumes
	steps, err := sc.Plan(toScaleRequest(req))
	return sc, steps, scaleError(err)
}

func toScaleRequest(req api.ScaleRequest) deploy.ScaleRequest {
	out := deploy.ScaleRequest{Counts: map[string]deploy.Count{}, Regions: req.Regions, MaxPerRegion: -1}
	for g, n := range req.Counts {
		out.Counts[g] = deploy.Count{N: n}
	}
	for g, n := range req.Relative {
		out.Counts[g] = deploy.Count{N: n, Relative: true}
	}
	if req.MaxPerRegion != nil {
		out.MaxPerRegion = *req.MaxPerRegion
	}
	return out
}

// scaleApp creates and destroys machines as the plan says, under the app's deploy
// lock, and streams a line per machine as deployApp streams a deploy.
func (s *Server) scaleApp(w http.ResponseWriter, r *http.Request) {
	app := r.PathValue("app")
	if err := s.lockDeploy(app); err != nil {
		s.writeError(w, r, err)
		return
	}
	defer s.unlockDeploy(app)
	sc, steps, err := s.scalePlan(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	emit := eventWriter(w)
	err = sc.Apply(s.life, steps, func(ev deploy.Event) { emit(toAPIEvent(ev)) })
	s.machinesChanged()
	if err != nil {
		s.log.Info("scale failed", "app", app, "error", err)
		emit(api.DeployEvent{Kind: api.EventError, Error: err.Error()})
		return
	}
	emit(api.DeployEvent{Kind: api.EventDone})
}

// scaleMemory gives every machine of the release's groups a new memory size, one at a time.
func (s *Server) scaleMemory(r *http.Request) (any, error) {
	var req api.ScaleMemoryRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	if req.MemoryMB < 128 {
		return nil, badRequest("memory must be at least 128 MB")
	}
	if err := s.lockDeploy(r.PathValue("app")); err != nil {
		return nil, err
	}
	defer s.unlockDeploy(r.PathValue("app"))
	sc, err := s.scaling(r)
	if err != nil {
		return nil, err
	}
	out := api.ScaleResult{Machines: []api.ScaledMachine{}}
	err = sc.Memory(s.life, req.MemoryMB, func(m state.Machine) { out.Machines = append(out.Machines, scaled(m)) })
	s.machinesChanged()
	return out, err
}

// showScale lists the release's groups with their machines.
func (s *Server) showScale(r *http.Request) (any, error) {
	sc, err := s.scaling(r)
	if err != nil {
		return nil, err
	}
	existing, groups, err := sc.Groups()
	out := make([]api.ScaleGroup, 0, len(groups))
	for _, g := range groups {
		guest := sc.Guest(g)
		sg := api.ScaleGroup{Name: g, Count: len(existing[g]), CPUKind: guest.CPUKind, CPUs: guest.CPUs, MemoryMB: guest.MemoryMB, Regions: map[string]int{}}
		for _, m := range existing[g] {
			sg.Regions[m.Region]++
		}
		if len(existing[g]) > 0 { // the machines' own size, which scale memory may have changed
			sg.MemoryMB = existing[g][0].Config.MemoryMB
		}
		out = append(out, sg)
	}
	return out, err
}

func toAPIPlan(steps []deploy.ScaleStep) api.ScalePlan {
	out := api.ScalePlan{Steps: []api.ScaleStep{}}
	for _, st := range steps {
		out.Steps = append(out.Steps, api.ScaleStep{Group: st.Group, Region: st.Region, Size: st.Size, Delta: st.Delta})
	}
	return out
}

// scaled is a machine as scale memory reports it, with the size it runs with.
func scaled(m state.Machine) api.ScaledMachine {
	size := deploy.SizeName(toml.Guest{CPUKind: m.Config.CPUKind, CPUs: m.Config.CPUs})
	return api.ScaledMachine{ID: m.ID, Group: m.Group, Region: m.Region, Size: size}
}
