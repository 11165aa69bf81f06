package flycast

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/dns"
	"github.com/hangarhq/hangar/pkg/proxy"
	"github.com/hangarhq/hangar/pkg/state"
)

// Kinds of Connect's errors, for the agent to map to statuses; every error also names
// the app, machine or port in one line.
var (
	// ErrBadHost: the remote host is not a form Connect knows.
	ErrBadHost = errors.New("unknown remote host form")
	// ErrNoTarget: no Flycast address, machine or service answers that host and port.
	ErrNoTarget = errors.New("nothing at that host and port")
	// ErrAsleep: a .internal name or 6PN address with no started machine behind it.
	ErrAsleep = errors.New("no started machine")
	// ErrUnreachable: the machine did not accept the connection.
	ErrUnreachable = errors.New("machine unreachable")
)

// hostForms is what ErrBadHost tells the user to use instead.
const hostForms = "<app>.flycast, a Flycast address, <app>.internal, <machine-id>.vm.<app>.internal or a machine's 6PN address"

// dialTimeout bounds a direct dial: a started machine's port answers at once or not at all.
const dialTimeout = 5 * time.Second

// Connect opens a stream to host:port as the private network of app's organization sees
// it, for `hangar proxy`. <app>.flycast and Flycast addresses go to the wake proxy, in
// process, as a connection accepted on that address and service port would (a sleeping
// app is woken; this needs no routes, so it works in loopback mode too). <app>.internal,
// <id>.vm.<app>.internal and 6PN addresses dial a started machine's own port, as Fly's
// .internal names do, which never wake anything.
func (p *Plane) Connect(ctx context.Context, app, host string, port uint16) (net.Conn, error) {
	s := p.ix.load()
	from, ok := s.apps[app]
	if !ok {
		return nil, fail(state.ErrAppNotFound, "app %s not found", app)
	}
	t, err := s.resolve(from.org, host)
	if err != nil {
		return nil, err
	}
	if t.flycast.IsValid() {
		return p.handOff(s, t, port)
	}
	return dialMachine(ctx, t, port)
}

// target is where a remote host leads: a Flycast address or one started machine.
type target struct {
	app     string
	flycast netip.Addr // valid: the wake proxy serves the connection at this address
	machine dns.MachineRecord
}

// resolve reads host (any case, with or without a final dot or brackets) in org.
func (s *snapshot) resolve(org, host string) (target, error) {
	h := strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if a, err := netip.ParseAddr(h); err == nil {
		return s.byAddress(org, host, a.Unmap())
	}
	if name, ok := strings.CutSuffix(h, ".flycast"); ok && !strings.Contains(name, ".") {
		return s.flycastTarget(org, name)
	}
	if rest, ok := strings.CutSuffix(h, ".internal"); ok {
		id, name, vm := strings.Cut(rest, ".vm.")
		if !vm {
			id, name = "", rest
		}
		if !strings.Contains(name, ".") {
			return s.internalTarget(org, name, id)
		}
	}
	return target{}, fail(ErrBadHost, "remote host %q is not one hangar proxy reaches: use %s", host, hostForms)
}

// appIn finds an app of org: names of other organizations do not resolve, as on Fly.
func (s *snapshot) appIn(org, name string) (appEntry, error) {
	a, ok := s.apps[name]
	if !ok || a.org != org {
		return appEntry{}, fail(state.ErrAppNotFound, "no app %s in organization %s", name, org)
	}
	return a, nil
}

func (s *snapshot) flycastTarget(org, name string) (target, error) {
	a, err := s.appIn(org, name)
	if err != nil {
		return target{}, err
	}
	if len(a.flycast) == 0 {
		return target{}, fail(ErrNoTarget, "app %s has no Flycast address: allocate one with hangar ips allocate-v6 --private -a %[1]s", name)
	}
	return target{app: name, flycast: a.flycast[0]}, nil
}

// internalTarget is the first started machine of the app, or machine id of it.
func (s *snapshot) internalTarget(org, name, id string) (target, error) {
	a, err := s.appIn(org, name)
	if err != nil {
		return target{}, err
	}
	known := false
	for _, m := range a.record.Machines {
		if id != "" && m.ID != id {
			continue
		}
		if m.Started {
			return target{app: name, machine: m}, nil
		}
		known = true
	}
	switch {
	case id != "" && !known:
		return target{}, fail(ErrNoTarget, "app %s has no machine %s", name, id)
	case id != "":
		return target{}, fail(ErrAsleep, "machine %s of app %s is not started: use %[2]s.flycast, which wakes the app", id, name)
	case !known:
		return target{}, fail(ErrNoTarget, "app %s has no machines: deploy it first", name)
	}
	return target{}, fail(ErrAsleep, "app %s is asleep (no started machine answers %[1]s.internal): use %[1]s.flycast, which wakes it", name)
}

// byAddress finds the app with Flycast address a, or the machine with 6PN address a.
func (s *snapshot) byAddress(org, host string, a netip.Addr) (target, error) {
	if !ipalloc.ULARange().Contains(a) {
		return target{}, fail(ErrBadHost, "remote host %s is not a private address: use %s", host, hostForms)
	}
	for name, e := range s.apps {
		if e.org != org {
			continue
		}
		if slices.Contains(e.flycast, a) {
			return target{app: name, flycast: a}, nil
		}
		for _, m := range e.record.Machines {
			if m.Addr != a {
				continue
			}
			if !m.Started {
				return target{}, fail(ErrAsleep, "machine %s of app %s is not started: use %[2]s.flycast, which wakes the app", m.ID, name)
			}
			return target{app: name, machine: m}, nil
		}
	}
	return target{}, fail(ErrNoTarget, "no app or machine of organization %s has the address %s", org, a)
}

// handOff gives the proxy one end of a socket pair as a connection to the app's
// Flycast address and service port, and returns the other end.
func (p *Plane) handOff(s *snapshot, t target, port uint16) (net.Conn, error) {
	if _, ok := s.byHost[t.app][port]; !ok {
		return nil, noService(t.app, port, s.byHost[t.app])
	}
	ours, theirs, err := socketPair()
	if err != nil {
		return nil, fmt.Errorf("connecting to app %s: %w", t.app, err)
	}
	if err := p.proxy.Serve(theirs, netip.AddrPortFrom(t.flycast, port)); err != nil {
		_ = ours.Close()
		return nil, err
	}
	return ours, nil
}

// noService names the ports the app does serve: the remote port of a .flycast host is
// a service port of fly.toml, not the machines' internal_port.
func noService(app string, port uint16, svcs map[uint16]proxy.Service) error {
	if len(svcs) == 0 {
		return fail(ErrNoTarget, "app %s has no services in its deployed fly.toml ([http_service] or [[services]]): reach a machine's own port with %[1]s.internal", app)
	}
	var ports []string
	for _, p := range slices.Sorted(maps.Keys(svcs)) {
		ports = append(ports, strconv.Itoa(int(p)))
	}
	return fail(ErrNoTarget, "app %s has no service on port %d: its service ports are %s", app, port, strings.Join(ports, ", "))
}

func dialMachine(ctx context.Context, t target, port uint16) (net.Conn, error) {
	d := net.Dialer{Timeout: dialTimeout}
	c, err := d.DialContext(ctx, "tcp", netip.AddrPortFrom(t.machine.Addr, port).String())
	if err != nil {
		return nil, fail(ErrUnreachable, "machine %s of app %s did not accept a connection on port %d: %v", t.machine.ID, t.app, port, err)
	}
	return c, nil
}

// socketPair is a connected pair of unix stream sockets. Unlike net.Pipe both ends can
// half-close, so a client's end of input reaches the machine and its answer still
// comes back.
func socketPair() (net.Conn, net.Conn, error) {
	fds, err := socketpairFDs()
	if err != nil {
		return nil, nil, os.NewSyscallError("socketpair", err)
	}
	a, errA := fileConn(fds[0])
	b, errB := fileConn(fds[1])
	if err := errors.Join(errA, errB); err != nil {
		for _, c := range []net.Conn{a, b} {
			if c != nil {
				_ = c.Close()
			}
		}
		return nil, nil, err
	}
	return a, b, nil
}

func fileConn(fd int) (net.Conn, error) {
	f := os.NewFile(uintptr(fd), "socketpair")
	defer func() { _ = f.Close() }() // the conn holds its own duplicate
	return net.FileConn(f)
}

// connectError is one line for the user that still matches its kind with errors.Is.
type connectError struct {
	kind error
	msg  string
}

func (e *connectError) Error() string { return e.msg }
func (e *connectError) Unwrap() error { return e.kind }

func fail(kind error, format string, args ...any) error {
	return &connectError{kind: kind, msg: fmt.Sprintf(format, args...)}
}
