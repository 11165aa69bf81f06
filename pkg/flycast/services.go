// Package flycast joins the agent's state to the proxy and the DNS server: which Flycast addresses and ports to serve, which machines stand behind them, and the host routes that make those addresses local.
package flycast

import (
	"slices"
	"time"

	"github.com/hangarhq/hangar/pkg/proxy"
	"github.com/hangarhq/hangar/toml"
)

// proxyServices turns an app's fly.toml into the services the proxy serves on its
// Flycast address: one per port, http_service included. TLS ports are left out: a
// Flycast address has no certificate (Fly's docs say so too).
func proxyServices(app string, cfg *toml.Config, idle time.Duration) []proxy.Service {
	var out []proxy.Service
	for _, s := range cfg.AllServices() {
		for _, p := range s.Ports {
			if p.Port == nil || slices.Contains(p.Handlers, "tls") || s.Protocol == "udp" {
				continue
			}
			out = append(out, proxyService(app, s, p, idle))
		}
	}
	return out
}

func proxyService(app string, s toml.Service, p toml.ServicePort, idle time.Duration) proxy.Service {
	svc := proxy.Service{
		App: app, Port: uint16(*p.Port), InternalPort: uint16(s.InternalPort),
		HTTP: slices.Contains(p.Handlers, "http"), ForceHTTPS: p.ForceHTTPS,
		AutoStop: proxy.AutoStopOff, AutoStart: true, IdleTimeout: idle,
	}
	if s.AutoStopMachines != nil {
		svc.AutoStop = string(*s.AutoStopMachines)
	}
	if s.AutoStartMachines != nil {
		svc.AutoStart = *s.AutoStartMachines
	}
	if s.MinMachinesRunning != nil {
		svc.MinRunning = *s.MinMachinesRunning
	}
	if c := s.Concurrency; c != nil {
		svc.Concurrency = proxy.Concurrency{Type: c.Type, SoftLimit: c.SoftLimit, HardLimit: c.HardLimit}
	}
	return svc
}

// serviceGroups are the process groups whose machines serve the app's services.
func serviceGroups(cfg *toml.Config) []string {
	var groups []string
	for _, g := range cfg.ProcessNames() {
		if slices.ContainsFunc(cfg.AllServices(), func(s toml.Service) bool { return cfg.InGroup(s.Processes, g) }) {
			groups = append(groups, g)
		}
	}
	return groups
}
