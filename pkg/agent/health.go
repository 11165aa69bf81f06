package agent

import (
	"context"
	"net/http"
	"os"
	"time"

	"github.com/hangarhq/hangar/pkg/api"
)

// health reports the engine, the privilege and the Flycast plane, for hangar doctor.
func (s *Server) health(r *http.Request) (any, error) {
	h := api.Health{Root: os.Geteuid() == 0, Routes: []api.HealthRoute{}, DNS: []string{}, Resolvers: []string{}}
	s.engineHealth(r.Context(), &h)
	switch {
	case s.plane == nil:
		h.FlycastMode, h.FlycastError = "off", s.flycastErr
		if h.FlycastError == "" {
			h.FlycastError = "the agent started without Flycast: its log (hangar agent status shows where) says why"
		}
	case s.flycast.Loopback.IsValid():
		h.FlycastMode, h.Loopback = "loopback", s.flycast.Loopback.String()
	default:
		h.FlycastMode = "routes"
	}
	if s.plane != nil {
		ph := s.plane.Health()
		for _, rt := range ph.Routes {
			h.Routes = append(h.Routes, api.HealthRoute{Prefix: rt.Prefix.String(), Routed: rt.Routed})
		}
		for _, a := range ph.Resolvers {
			h.Resolvers = append(h.Resolvers, a.String())
		}
		h.DNS = append(h.DNS, ph.DNS...)
		h.HostNames = ph.Names
		h.Isolation, h.Isolated, h.IsolationError = ph.Isolation, ph.Isolated, ph.IsolationError
	}
	return h, nil
}

func (s *Server) engineHealth(ctx context.Context, h *api.Health) {
	if s.engine == nil {
		h.EngineError = "no container engine answered when the agent started: start Docker (systemctl start docker), then hangar agent stop && hangar agent start"
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	info, err := s.engine.Info(ctx)
	if err != nil {
		h.EngineError = err.Error()
		return
	}
	h.Engine, h.EngineAPI = info.ServerVersion, info.APIVersion
}
