package flycast

import (
	"context"
	"net/netip"
	"os"
	"time"

	"github.com/hangarhq/hangar/pkg/proxy"
)

// listen serves a on the listener a predecessor agent handed over, or on a new one.
func (p *Plane) listen(a netip.AddrPort) error {
	ln, err := p.cfg.Handoff.Listener(proxy.HandoffName(a))
	if err != nil || ln == nil {
		_, err = p.proxy.Listen(a)
		return err
	}
	_, err = p.proxy.Adopt(a, ln)
	return err
}

// HandoffFiles are every socket the plane serves on, and the host side's registration
// and link, for a successor agent (hangar agent restart).
func (p *Plane) HandoffFiles() (map[string]*os.File, error) {
	files, err := p.proxy.HandoffFiles()
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.host == nil {
		return files, nil
	}
	more, err := p.host.handoffFiles()
	for name, f := range more {
		files[name] = f
	}
	return files, err
}

// Release stops accepting and answering, waits for the HTTP requests in flight (up to
// 5 s), and leaves the host as it is: routes, fdaa::3, names and the link are the
// successor's now. Upgraded and TCP connections stay open until Finish.
func (p *Plane) Release() {
	<-p.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	p.proxy.Quiesce(ctx)
	if p.names != nil {
		p.names.halt()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.host != nil {
		if err := p.host.release(); err != nil {
			p.cfg.Log.Warn("handing the DNS sockets over", "error", err)
		}
	}
}

// Finish drains what Release left open (WebSockets, raw TCP) for the proxy's drain
// time, then cuts it. The state may be closed already: nothing here reads it.
func (p *Plane) Finish() { p.proxy.Close() }
