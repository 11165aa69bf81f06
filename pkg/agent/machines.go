package agent

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/state"
)

func (s *Server) listMachines(r *http.Request) (any, error) {
	if _, err := s.store.App(r.PathValue("app")); err != nil {
		return nil, err
	}
	ms, err := s.store.Machines(r.PathValue("app"))
	if err != nil {
		return nil, err
	}
	return toAPIMachines(ms), nil
}

func (s *Server) getMachine(r *http.Request) (any, error) {
	m, err := s.store.Machine(r.PathValue("app"), r.PathValue("id"))
	return toAPIMachine(m), err
}

// runMachine creates a machine outside a deploy; an interactive one starts when its terminal attaches.
func (s *Server) runMachine(r *http.Request) (any, error) {
	var req api.RunMachineRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	mgr, err := s.machines()
	if err != nil {
		return nil, err
	}
	spec := machine.Spec{App: r.PathValue("app"), Group: "shell", Region: "iad", Image: req.Image, Tty: req.Tty, OpenStdin: req.Interactive,
		Config: state.MachineConfig{Cmd: req.Cmd, Env: req.Env, MemoryMB: req.MemoryMB, Tty: req.Tty, AutoDestroy: req.AutoDestroy}}
	m, err := mgr.Create(r.Context(), spec)
	if err != nil || req.Interactive {
		return toAPIMachine(m), err
	}
	m, err = mgr.Start(r.Context(), m.App, m.ID)
	return toAPIMachine(m), err
}

func (s *Server) startMachine(r *http.Request) (any, error) {
	mgr, err := s.machines()
	if err != nil {
		return nil, err
	}
	m, err := mgr.Start(r.Context(), r.PathValue("app"), r.PathValue("id"))
	s.machinesChanged()
	return toAPIMachine(m), err
}

func (s *Server) stopMachine(r *http.Request) (any, error) {
	var req api.StopMachineRequest
	if r.ContentLength > 0 {
		if err := decodeBody(r, &req); err != nil {
			return nil, err
		}
	}
	mgr, err := s.machines()
	if err != nil {
		return nil, err
	}
	m, err := mgr.Stop(r.Context(), r.PathValue("app"), r.PathValue("id"), req.Signal, time.Duration(req.Timeout)*time.Second)
	s.machinesChanged()
	return toAPIMachine(m), err
}

func (s *Server) suspendMachine(r *http.Request) (any, error) {
	mgr, err := s.machines()
	if err != nil {
		return nil, err
	}
	m, err := mgr.Suspend(r.Context(), r.PathValue("app"), r.PathValue("id"))
	s.machinesChanged()
	return toAPIMachine(m), err
}

func (s *Server) destroyMachine(r *http.Request) (any, error) {
	mgr, err := s.machines()
	if err != nil {
		return nil, err
	}
	force, _ := strconv.ParseBool(r.URL.Query().Get("force"))
	err = mgr.Destroy(r.Context(), r.PathValue("app"), r.PathValue("id"), force)
	s.machinesChanged()
	return nil, err
}

func (s *Server) listReleases(r *http.Request) (any, error) {
	if _, err := s.store.App(r.PathValue("app")); err != nil {
		return nil, err
	}
	rs, err := s.store.Releases(r.PathValue("app"))
	out := make([]api.Release, 0, len(rs))
	for _, rel := range rs {
		out = append(out, toAPIRelease(rel))
	}
	return out, err
}
