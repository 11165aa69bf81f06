package proxy

// Track makes the proxy follow an app from the start, before any request reaches it:
// machines that are started and serve nothing (after a deploy, an agent restart, an
// adoption) are stopped after their idle time like any other. A tracked app is not
// listed again until it changes; its service settings are those of svc until a request
// uses another of its services.
func (p *Proxy) Track(svc Service) {
	if p.closing.Load() {
		return
	}
	a := p.app(svc.App)
	a.mu.Lock()
	known := a.svc.App != ""
	if !known {
		a.use(svc)
	}
	a.mu.Unlock()
	if !known {
		a.refresh()
	}
}
