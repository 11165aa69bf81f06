package proxy

import (
	"net/netip"
	"slices"
)

// Unlisten stops accepting on addr (a released Flycast address, a service port that is
// gone): the port is free again at once; connections it accepted go on until they end.
func (p *Proxy) Unlisten(addr netip.AddrPort) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, ln := range p.listeners {
		rl, ok := ln.(*routeListener)
		if !ok || addrPortOf(rl.Addr()) != addr {
			continue
		}
		rl.removed.Store(true)
		_ = rl.Close()
		p.listeners = slices.Delete(p.listeners, i, i+1)
		return true
	}
	return false
}

// Forget drops what the proxy keeps of an app that was destroyed: its idle timers, its
// spare connection and its transport's idle connections. A request still in flight for
// it ends as it would have.
func (p *Proxy) Forget(name string) {
	v, ok := p.apps.LoadAndDelete(name)
	if !ok {
		return
	}
	a := v.(*app)
	a.mu.Lock()
	for _, m := range a.machines {
		m.stopTimer()
	}
	a.mu.Unlock()
	a.closeConns()
}

// Apps lists the apps the proxy keeps state for.
func (p *Proxy) Apps() []string {
	var names []string
	p.apps.Range(func(k, _ any) bool {
		names = append(names, k.(string))
		return true
	})
	slices.Sort(names)
	return names
}
