package flycast

import "github.com/hangarhq/hangar/pkg/proxy"

// forgetGone frees what the proxy and the plane keep of apps that are no longer in the
// state (destroyed), and the parsed releases nothing uses any more.
func (p *Plane) forgetGone(old, now *snapshot) {
	for app := range old.apps {
		if _, ok := now.apps[app]; !ok {
			p.proxy.Forget(app)
		}
	}
	p.cache.prune(now.apps)
}

// trackAll has the proxy follow every app with a service from the start, so a machine
// that never gets a request (after a deploy, a restart, an adoption) still stops when
// idle. The lowest service port stands for the app's settings until a request comes.
func (p *Plane) trackAll(s *snapshot) {
	for _, ports := range s.byHost {
		var first proxy.Service
		for port, svc := range ports {
			if first.App == "" || port < first.Port {
				first = svc
			}
		}
		if first.App != "" {
			p.proxy.Track(first)
		}
	}
}
