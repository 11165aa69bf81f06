package flycast

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
