package hostnames

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

const (
	resolveName  = "org.freedesktop.resolve1"
	resolvePath  = dbus.ObjectPath("/org/freedesktop/resolve1")
	resolveIface = "org.freedesktop.resolve1.Manager"
	// callTimeout keeps a hung systemd-resolved from hanging the agent.
	callTimeout = 10 * time.Second
)

// Resolved publishes names through systemd-resolved's split DNS: one link the agent owns gets
// Hangar's DNS servers and routing-only domains, so that only Hangar's names are asked of them
// and every other lookup goes on to the host's own resolvers.
type Resolved struct {
	conn    *dbus.Conn
	link    int32
	servers []linkAddr
	report  func(error)
	signals chan *dbus.Signal
	stop    chan struct{}
	stopped chan struct{}

	// mu serializes applying the link's settings, by Publish and by the watcher, and guards the fields below.
	mu      sync.Mutex
	domains []linkDomain // as last applied; nil before the first Publish
	lines   []hostLine   // the entries last published
	closed  bool
}

// linkAddr and linkDomain are the D-Bus structs (iay) and (sb) of SetLinkDNS and SetLinkDomains.
type linkAddr struct {
	Family  int32
	Address []byte
}

type linkDomain struct {
	Domain      string
	RoutingOnly bool
}

// NewResolved returns a Resolved for the link with index ifindex, whose DNS servers are servers.
// It re-applies everything whenever systemd-resolved restarts, until Close; report, when not nil,
// receives the errors of doing so, which no caller is there to receive. report may call Publish but
// not Close, which waits for the goroutine that calls report.
func NewResolved(conn *dbus.Conn, ifindex int, servers []netip.Addr, report func(error)) (*Resolved, error) {
	addrs, err := linkAddrs(ifindex, servers)
	if err != nil {
		return nil, err
	}
	r := &Resolved{conn: conn, link: int32(ifindex), servers: addrs, report: report,
		signals: make(chan *dbus.Signal, 16), stop: make(chan struct{}), stopped: make(chan struct{})}
	if err := conn.AddMatchSignal(ownerChanges...); err != nil {
		return nil, fmt.Errorf("watching for systemd-resolved restarts: %w", err)
	}
	conn.Signal(r.signals)
	go r.watch()
	return r, nil
}

func linkAddrs(ifindex int, servers []netip.Addr) ([]linkAddr, error) {
	if ifindex <= 0 || ifindex > 1<<31-1 {
		return nil, fmt.Errorf("configuring systemd-resolved: link index %d is not a link", ifindex)
	}
	if len(servers) == 0 {
		return nil, errors.New("configuring systemd-resolved: no DNS server to route names to")
	}
	var out []linkAddr
	for _, a := range servers {
		if !a.IsValid() || a.IsUnspecified() || a.Zone() != "" {
			return nil, fmt.Errorf("configuring systemd-resolved: %w %v for a DNS server", ErrInvalidAddr, a)
		}
		if a = a.Unmap(); a.Is4() {
			out = append(out, linkAddr{Family: 2, Address: a.AsSlice()}) // AF_INET
		} else {
			out = append(out, linkAddr{Family: 10, Address: a.AsSlice()}) // AF_INET6
		}
	}
	return out, nil
}

// Publish routes flycast and the <app>.internal domain of every app named in entries to the link's
// servers; the host keeps resolving every other .internal name itself. It calls systemd-resolved
// only when something changed, and then flushes its caches so no stale answer outlives the change.
func (r *Resolved) Publish(entries []Entry) error {
	lines, err := table(entries)
	if err != nil {
		return fmt.Errorf("publishing names to systemd-resolved: %w", err)
	}
	domains := routeDomains(lines)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	switch {
	case !slices.Equal(domains, r.domains):
		err = r.apply(domains)
	case !slices.EqualFunc(lines, r.lines, equalLine):
		err = r.call("flushing systemd-resolved's caches", "FlushCaches")
	}
	if err != nil {
		return err
	}
	r.domains, r.lines = domains, lines
	return nil
}

func equalLine(a, b hostLine) bool { return a.addr == b.addr && slices.Equal(a.names, b.names) }

// routeDomains is flycast and each app's <app>.internal, routing-only, sorted. An app
// whose machines all sleep still has its .internal domain (known from <app>.flycast), so
// its names are answered by Hangar rather than asked of the host's upstream resolvers.
func routeDomains(lines []hostLine) []linkDomain {
	var apps []string
	for _, l := range lines {
		for _, name := range l.names {
			if rest, ok := strings.CutSuffix(name, ".internal"); ok {
				apps = append(apps, rest[strings.LastIndexByte(rest, '.')+1:]+".internal")
			} else if app, ok := strings.CutSuffix(name, ".flycast"); ok && !strings.Contains(app, ".") {
				apps = append(apps, app+".internal")
			}
		}
	}
	slices.Sort(apps)
	domains := []linkDomain{{Domain: "flycast", RoutingOnly: true}}
	for _, d := range slices.Compact(apps) {
		domains = append(domains, linkDomain{Domain: d, RoutingOnly: true})
	}
	return domains
}

// apply sets everything on the link. DNSSEC and DNS over TLS go off because Hangar's zones are unsigned
// and its servers speak plain DNS; systemd-resolved older than 239 lacks those calls, which is fine.
func (r *Resolved) apply(domains []linkDomain) error {
	steps := []struct {
		doing, method string
		arg           any
		optional      bool
	}{
		{"setting the DNS servers", "SetLinkDNS", r.servers, false},
		{"setting the routing domains", "SetLinkDomains", domains, false},
		{"turning off the default route", "SetLinkDefaultRoute", false, false},
		{"turning off LLMNR", "SetLinkLLMNR", "no", false},
		{"turning off multicast DNS", "SetLinkMulticastDNS", "no", false},
		{"turning off DNSSEC", "SetLinkDNSSEC", "no", true},
		{"turning off DNS over TLS", "SetLinkDNSOverTLS", "no", true},
	}
	for _, s := range steps {
		err := r.call(fmt.Sprintf("%s of link %d", s.doing, r.link), s.method, r.link, s.arg)
		if err != nil && !(s.optional && unknownMethod(err)) {
			return err
		}
	}
	return r.call("flushing systemd-resolved's caches", "FlushCaches")
}

// call calls method of systemd-resolved's manager, wrapping an error with doing.
func (r *Resolved) call(doing, method string, args ...any) error {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	obj := r.conn.Object(resolveName, resolvePath)
	if err := obj.CallWithContext(ctx, resolveIface+"."+method, 0, args...).Err; err != nil {
		return fmt.Errorf("%s: %w", doing, err)
	}
	return nil
}

func unknownMethod(err error) bool {
	var e dbus.Error
	return errors.As(err, &e) && e.Name == "org.freedesktop.DBus.Error.UnknownMethod"
}

// Close stops watching for restarts and, when anything was published, reverts the link to the
// state systemd-resolved would give it without Hangar.
func (r *Resolved) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	published := r.domains != nil
	r.mu.Unlock()
	close(r.stop)
	<-r.stopped
	r.conn.RemoveSignal(r.signals)
	err := r.conn.RemoveMatchSignal(ownerChanges...)
	if published {
		err = errors.Join(r.call(fmt.Sprintf("reverting link %d", r.link), "RevertLink", r.link), err)
	}
	return err
}

// ResolvedRunning reports whether systemd-resolved is on conn's bus, which decides between Resolved and HostsFile.
func ResolvedRunning(conn *dbus.Conn) bool {
	var running bool
	err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, resolveName).Store(&running)
	return err == nil && running
}

// SystemBus connects to the system bus, where systemd-resolved listens.
func SystemBus() (*dbus.Conn, error) {
	conn, err := dbus.ConnectSystemBus()
	if err != nil {
		return nil, fmt.Errorf("connecting to the system bus: %w", err)
	}
	return conn, nil
}
