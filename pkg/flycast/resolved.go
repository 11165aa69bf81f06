package flycast

import (
	"errors"
	"log/slog"
	"net/netip"
	"slices"

	"github.com/godbus/dbus/v5"

	"github.com/hangarhq/hangar/pkg/hostnames"
)

// resolvedPublisher points systemd-resolved at this installation for its names, on the
// installation's own link. The link's DNS servers are the organizations' resolver
// addresses, so a new organization sets the link up again.
type resolvedPublisher struct {
	conn    *dbus.Conn
	link    int
	log     *slog.Logger
	servers []netip.Addr
	r       *hostnames.Resolved // nil until the first publish with servers
}

// openResolvedNames uses systemd-resolved when it runs on the system bus; false when it
// does not (the hosts file is used instead).
func openResolvedNames(link int, log *slog.Logger) (*names, bool) {
	conn, err := hostnames.SystemBus()
	if err != nil {
		return nil, false
	}
	if !hostnames.ResolvedRunning(conn) {
		conn.Close()
		return nil, false
	}
	p := &resolvedPublisher{conn: conn, link: link, log: log}
	return startNames(p, "systemd-resolved", log), true
}

func (p *resolvedPublisher) publish(entries []hostnames.Entry, servers []netip.Addr) error {
	if len(servers) == 0 {
		return nil // no organization yet, so no app either
	}
	if !slices.Equal(servers, p.servers) {
		if err := p.reset(servers); err != nil {
			return err
		}
	}
	return p.r.Publish(entries)
}

func (p *resolvedPublisher) reset(servers []netip.Addr) error {
	if p.r != nil {
		p.r.Close()
		p.r = nil
	}
	report := func(err error) { p.log.Warn("setting up systemd-resolved again after its restart", "error", err) }
	r, err := hostnames.NewResolved(p.conn, p.link, servers, report)
	if err != nil {
		return err
	}
	p.r, p.servers = r, slices.Clone(servers)
	return nil
}

func (p *resolvedPublisher) close() error {
	var err error
	if p.r != nil {
		err = p.r.Close()
	}
	return errors.Join(err, p.conn.Close())
}
