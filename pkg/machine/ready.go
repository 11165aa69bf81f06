package machine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
)

const (
	dialTimeout   = time.Second
	logLinesShown = 10
)

// target is a container to wait for: a machine's own or its pending replacement.
type target struct {
	machine, container string
	addr               netip.Addr
	port               int
	checks             []HTTPCheck
}

// stage is what a machine still lacks to be ready.
type stage struct {
	kind   error // ErrNotRunning, ErrNotListening or ErrChecksFailing
	detail string
}

// rank orders stages by progress: a timeout reports the furthest one reached,
// not a probe the deadline cut short.
func (s stage) rank() int {
	switch s.kind {
	case ErrNotListening:
		return 1
	case ErrChecksFailing:
		return 2
	}
	return 0
}

// WaitReady waits up to timeout until the machine's container runs and
// accepts TCP connections on its internal port at its 6PN address, then until
// the HTTP checks it was created (or last replaced) with pass. A machine
// without an internal port is ready once it runs. A machine that exits
// meanwhile fails at once with an ExitError.
func (m *Manager) WaitReady(ctx context.Context, app, id string, timeout time.Duration) error {
	mc, err := m.store.Machine(app, id)
	if err == nil && mc.ContainerID == "" {
		err = fmt.Errorf("machine %s: %w", id, ErrNoContainer)
	}
	if err != nil {
		return err
	}
	return m.waitReady(ctx, target{machine: id, container: mc.ContainerID, addr: mc.PrivateIP,
		port: mc.Config.InternalPort, checks: m.checksOf(id)}, timeout)
}

// waitReady probes t every poll interval until it is ready, exits, or time runs out.
func (m *Manager) waitReady(parent context.Context, t target, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	tick := time.NewTicker(m.poll)
	defer tick.Stop()
	last := stage{kind: ErrNotRunning, detail: "not started"}
	for {
		pending, err := m.probe(ctx, t)
		switch {
		case errors.Is(err, ErrMachineExited) || err != nil && ctx.Err() == nil:
			return err
		case err == nil && pending == nil:
			return nil
		case pending != nil && (pending.rank() > last.rank() || pending.rank() == last.rank() && ctx.Err() == nil):
			last = *pending
		}
		select {
		case <-ctx.Done():
			if parent.Err() != nil {
				return fmt.Errorf("waiting for machine %s: %w", t.machine, parent.Err())
			}
			return notReady(t, timeout, last)
		case <-tick.C:
		}
	}
}

// probe looks once: it returns what is still missing, or an error that ends the wait.
func (m *Manager) probe(ctx context.Context, t target) (*stage, error) {
	c, err := m.engine.InspectContainer(ctx, t.container)
	switch {
	case err != nil:
		return nil, fmt.Errorf("inspecting machine %s: %w", t.machine, err)
	case c.State == runtime.StateExited || c.State == runtime.StateDead:
		return nil, m.exitError(ctx, t, c)
	case c.State != runtime.StateRunning:
		return &stage{kind: ErrNotRunning, detail: string(c.State)}, nil
	case t.port == 0:
		return nil, nil
	}
	addr := netip.AddrPortFrom(t.addr, uint16(t.port)).String()
	if err := m.probePort(ctx, addr); err != nil {
		return &stage{kind: ErrNotListening, detail: err.Error()}, nil
	}
	if err := m.runChecks(ctx, addr, t.checks); err != nil {
		return &stage{kind: ErrChecksFailing, detail: err.Error()}, nil
	}
	return nil, nil
}

func (m *Manager) probePort(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	conn, err := m.dial(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return conn.Close()
}

func notReady(t target, timeout time.Duration, s stage) error {
	switch {
	case errors.Is(s.kind, ErrNotListening):
		return userErrorf(ErrNotListening, "machine %s is running but nothing listens on port %d after %s: check internal_port in fly.toml",
			t.machine, t.port, timeout)
	case errors.Is(s.kind, ErrChecksFailing):
		return userErrorf(ErrChecksFailing, "machine %s listens on port %d but its health checks still fail after %s: %s",
			t.machine, t.port, timeout, s.detail)
	}
	return userErrorf(ErrNotRunning, "machine %s is still %s after %s", t.machine, s.detail, timeout)
}

// exitError describes an exit with the last lines the machine logged.
func (m *Manager) exitError(ctx context.Context, t target, c runtime.Container) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	e := &ExitError{Machine: t.machine, Code: c.ExitCode, OOM: c.OOMKilled, Port: t.port}
	rc, err := m.engine.Logs(ctx, t.container, runtime.LogOptions{Tail: logLinesShown})
	if err != nil {
		e.LastLines = []string{"(its logs could not be read: " + err.Error() + ")"}
		return e
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	for sc.Scan() {
		e.LastLines = append(e.LastLines, strings.TrimRight(sc.Text(), "\r"))
	}
	if len(e.LastLines) > logLinesShown {
		e.LastLines = e.LastLines[len(e.LastLines)-logLinesShown:]
	}
	return e
}
