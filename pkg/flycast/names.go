package flycast

import (
	"log/slog"
	"net/netip"
	"path/filepath"
	"slices"
	"sync"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/hostnames"
	"github.com/hangarhq/hangar/pkg/hostpeers"
)

// DefaultHostsFile is where the host's names go when systemd-resolved does not run.
const DefaultHostsFile = "/etc/hosts"

// publisher is where names go: a block of the hosts file, or systemd-resolved.
type publisher interface {
	// publish replaces what was published; servers are the installation's resolver
	// addresses, for a publisher that points the host's resolver at them.
	publish(entries []hostnames.Entry, servers []netip.Addr) error
	close() error
}

// names keeps the host's resolver in step with the apps, off the request path: a
// publish may write a file, and only the newest set of names matters.
type names struct {
	pub   publisher
	where string // for hangar doctor: "hosts file /etc/hosts"
	log   *slog.Logger
	kick  chan struct{}
	stop  chan struct{}
	done  chan struct{}

	stopOnce sync.Once

	// mu guards latest and servers, what to publish next.
	mu      sync.Mutex
	latest  []hostnames.Entry
	servers []netip.Addr
}

// openHostsNames publishes to a block of the hosts file of its own, after removing the
// blocks of agents that are gone (killed, so they could not take their block back).
func openHostsNames(path, installation, home string, log *slog.Logger) (*names, error) {
	lock := filepath.Join(filepath.Dir(hostpeers.Dir()), "hosts.lock")
	alive := func(id string) bool { return hostpeers.Alive(hostpeers.Dir(), id) }
	if err := hostnames.CleanStale(path, lock, alive); err != nil {
		log.Warn("removing names left in the hosts file by stopped agents", "error", err)
	}
	pub, err := hostnames.NewHostsFile(path, installation, lock, home)
	if err != nil {
		return nil, err
	}
	return startNames(hostsPublisher{pub}, "hosts file "+path, log), nil
}

// hostsPublisher is a block of the hosts file: the names carry their addresses, so the
// resolver addresses do not matter.
type hostsPublisher struct{ file *hostnames.HostsFile }

func (h hostsPublisher) publish(entries []hostnames.Entry, _ []netip.Addr) error {
	return h.file.Publish(entries)
}

func (h hostsPublisher) close() error { return h.file.Close() }

func startNames(pub publisher, where string, log *slog.Logger) *names {
	n := &names{pub: pub, where: where, log: log, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go n.run()
	return n
}

// set asks for entries to be published; a newer set replaces one not yet written.
func (n *names) set(entries []hostnames.Entry, servers []netip.Addr) {
	n.mu.Lock()
	n.latest, n.servers = entries, servers
	n.mu.Unlock()
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

// run publishes each new set of names. Most changes of the state (a machine's state, a
// release) leave the names as they were: those are not published again, so they cost
// neither a lock nor a read of the hosts file.
func (n *names) run() {
	defer close(n.done)
	var done []hostnames.Entry
	var doneServers []netip.Addr
	published := false
	for {
		select {
		case <-n.stop:
			return
		case <-n.kick:
			n.mu.Lock()
			entries, servers := n.latest, n.servers
			n.mu.Unlock()
			if published && slices.EqualFunc(entries, done, sameEntry) && slices.Equal(servers, doneServers) {
				continue
			}
			if err := n.pub.publish(entries, servers); err != nil {
				n.log.Warn("publishing app names to the host", "error", err)
				continue
			}
			done, doneServers, published = entries, servers, true
		}
	}
}

func sameEntry(a, b hostnames.Entry) bool { return a.Name == b.Name && slices.Equal(a.Addrs, b.Addrs) }

// close stops publishing and takes the names back.
func (n *names) close() error {
	n.halt()
	return n.pub.close()
}

// halt stops publishing and leaves the names where they are, for a successor agent.
func (n *names) halt() {
	n.stopOnce.Do(func() { close(n.stop) })
	<-n.done
}

// hostEntries are the names the host resolves for the snapshot's apps.
func hostEntries(s *snapshot) []hostnames.Entry {
	apps := make([]hostnames.App, 0, len(s.apps))
	for name, a := range s.apps {
		app := hostnames.App{Name: name, Flycast: a.flycast}
		for _, m := range a.record.Machines {
			app.Machines = append(app.Machines, hostnames.Machine{ID: m.ID, Addr: m.Addr, Started: m.Started})
		}
		apps = append(apps, app)
	}
	return hostnames.Names(apps)
}

// resolvers are the installation's resolver addresses on the host, one per organization.
func (s *snapshot) resolvers() []netip.Addr {
	out := make([]netip.Addr, 0, len(s.orgs))
	for _, o := range s.orgs {
		out = append(out, ipalloc.OrgDNSAddr(o.prefix))
	}
	return out
}
