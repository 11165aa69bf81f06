package agent

import (
	"net/http"

	"github.com/hangarhq/hangar/launch"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/state"
)

func (s *Server) listApps(r *http.Request) (any, error) {
	apps, err := s.store.Apps(r.URL.Query().Get("org_slug"))
	if err != nil {
		return nil, err
	}
	out := make([]api.App, 0, len(apps))
	for _, a := range apps {
		o, err := s.store.Org(a.Org)
		if err != nil {
			return nil, err
		}
		out = append(out, toAPIApp(a, o))
	}
	return out, nil
}

func (s *Server) createApp(r *http.Request) (any, error) {
	var req api.CreateAppRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	if err := launch.ValidateAppName(req.AppName); err != nil {
		return nil, err
	}
	if req.OrgSlug != "" {
		if err := launch.ValidateOrgSlug(req.OrgSlug); err != nil {
			return nil, err
		}
	}
	app, ips, err := s.store.CreateApp(state.NewApp{Name: req.AppName, Org: req.OrgSlug, PrivateV6: req.PrivateIPv6}, s.now())
	if err != nil {
		return nil, err
	}
	o, err := s.store.Org(app.Org)
	if err != nil {
		return nil, err
	}
	s.log.Info("created app", "app", app.Name, "org", app.Org, "ips", len(ips))
	return api.CreateAppResponse{App: toAPIApp(app, o), IPs: toAPIIPs(ips)}, nil
}

func (s *Server) getApp(r *http.Request) (any, error) {
	app, err := s.store.App(r.PathValue("app"))
	if err != nil {
		return nil, err
	}
	o, err := s.store.Org(app.Org)
	if err != nil {
		return nil, err
	}
	return toAPIApp(app, o), nil
}

// destroyApp removes the app's containers first (through the engine when it has any), then its records.
func (s *Server) destroyApp(r *http.Request) (any, error) {
	name := r.PathValue("app")
	ms, err := s.store.Machines(name)
	if err != nil {
		return nil, err
	}
	switch mgr, merr := s.machines(); {
	case merr == nil:
		err = mgr.DestroyApp(r.Context(), name) // also removes the org's network when it was the last app
	case len(ms) == 0:
		err = s.store.DestroyApp(name, s.now())
	default:
		err = merr
	}
	if err != nil {
		return nil, err
	}
	s.log.Info("destroyed app", "app", name)
	return nil, nil
}

func (s *Server) listOrgs(*http.Request) (any, error) {
	orgs, err := s.store.Orgs()
	if err != nil {
		return nil, err
	}
	out := make([]api.Organization, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, toAPIOrg(o))
	}
	return out, nil
}
