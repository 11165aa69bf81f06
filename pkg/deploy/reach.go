package deploy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hangarhq/hangar/toml"
)

// endpoint is one port the app's Flycast address serves.
type endpoint struct {
	port int
	http bool
}

// endpoints are the ports the proxy serves for cfg: TLS and UDP ports are not served
// on a Flycast address (it has no certificate), as in pkg/flycast.
func endpoints(cfg *toml.Config) []endpoint {
	var out []endpoint
	for _, s := range cfg.AllServices() {
		for _, p := range s.Ports {
			if p.Port == nil || slices.Contains(p.Handlers, "tls") || s.Protocol == "udp" {
				continue
			}
			e := endpoint{port: *p.Port, http: slices.Contains(p.Handlers, "http")}
			if !slices.Contains(out, e) {
				out = append(out, e)
			}
		}
	}
	return out
}

// reachLine is the deploy's last line: every service the app exposes, by the name that
// reaches it from the private network, or, when this host does not route Flycast
// addresses, the hangar proxy command for each.
func reachLine(app string, cfg *toml.Config, routed bool) string {
	eps := endpoints(cfg)
	if len(eps) == 0 {
		return "Finished deploying. The app has no services, so its Flycast address serves nothing; its machines answer on their 6PN addresses (hangar ips private)"
	}
	var ways []string
	for _, e := range eps {
		ways = append(ways, e.address(app, routed))
	}
	if routed {
		return "Finished deploying. Reach it from your private network at " + strings.Join(ways, " and ")
	}
	return "Finished deploying. This host does not route Flycast addresses (the agent is not root); reach it with " + strings.Join(ways, "; ")
}

// address is how one endpoint is reached: http://app.flycast, app.flycast:7000, or a
// hangar proxy command on a local port a user may bind (80 → 8080).
func (e endpoint) address(app string, routed bool) string {
	host := app + ".flycast"
	switch {
	case routed && e.http && e.port == 80:
		return "http://" + host
	case routed && e.http:
		return fmt.Sprintf("http://%s:%d", host, e.port)
	case routed:
		return fmt.Sprintf("%s:%d", host, e.port)
	}
	local := e.port
	if local < 1024 {
		local += 8000
	}
	cmd := fmt.Sprintf("hangar proxy %d:%d -a %s", local, e.port, app)
	if e.http {
		return fmt.Sprintf("%s (then http://localhost:%d/)", cmd, local)
	}
	return fmt.Sprintf("%s (then localhost:%d)", cmd, local)
}
