package machine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// Replace swaps a machine's container for one made from spec, side by side:
// the new container gets its own 6PN address, starts, and must be ready
// (WaitReady, with spec's checks) within timeout before it takes the machine
// over; only then is the old container stopped and removed. On any failure
// the new container is removed and the old one keeps running untouched. A
// machine that was stopped or suspended is verified the same way, then stopped
// again; one that was created and never started is left running.
// spec's App, Group and Region are the machine's own and are not changed.
func (m *Manager) Replace(ctx context.Context, app, id string, spec Spec, timeout time.Duration) (state.Machine, error) {
	mc, old, err := m.replace(ctx, app, id, spec, timeout)
	if old.ContainerID != "" {
		// The machine runs its new container and is let go: a WebSocket client of the
		// old one that does not read cannot hold it while it hears the close frame.
		m.goingAway(app, id)
		m.retire(ctx, old)
	}
	return mc, err
}

// replace is Replace on the held machine. Once the new container took the machine over,
// old is the machine as it was, with the container to retire.
func (m *Manager) replace(ctx context.Context, app, id string, spec Spec, timeout time.Duration) (mc, old state.Machine, err error) {
	release, mc, err := m.holdMachine(ctx, app, id)
	if err != nil {
		return mc, old, err
	}
	defer release()
	if mc.Pending != nil { // left by a crash the agent has not reconciled yet
		if err := m.rollBack(ctx, mc, nil); err != nil {
			return mc, old, fmt.Errorf("replacing machine %s: %w", id, err)
		}
	}
	if mc, err = m.sync(ctx, id); err != nil {
		return mc, old, err
	}
	// A machine that never ran (its deploy was interrupted before its start) was meant to run.
	running := mc.State == state.MachineStarted || mc.State == state.MachineStarting || mc.State == state.MachineCreated
	next, err := m.beginReplace(ctx, mc, spec)
	if err == nil {
		err = m.bringUp(ctx, next, spec, timeout, running)
	}
	if err != nil {
		return mc, old, m.rollBack(ctx, next, fmt.Errorf("replacing machine %s: %w", id, err))
	}
	return m.commit(ctx, mc, spec, running)
}

// beginReplace records the replacement and creates its container.
func (m *Manager) beginReplace(ctx context.Context, mc state.Machine, spec Spec) (state.Machine, error) {
	r := state.Replacement{Version: spec.Version, Image: spec.Image, Config: spec.Config}
	r.Config.Mounts = keptMounts(mc.Config.Mounts, spec.Config.Mounts)
	next, err := m.store.BeginReplace(mc.ID, r, m.now())
	if err != nil {
		return mc, fmt.Errorf("recording the replacement: %w", err)
	}
	cid, sid, digests, err := m.createContainer(ctx, pendingView(next), ContainerName(mc.App, mc.ID, spec.Version), spec)
	if err != nil {
		return next, err
	}
	CrashAt(CrashReplaceNewContainer)
	next.Pending.ContainerID, next.Pending.SandboxID = cid, sid // so that a failed update below still removes them
	updated, err := m.store.UpdateMachine(mc.ID, m.now(), func(r *state.Machine) error {
		r.Pending.ContainerID, r.Pending.SandboxID, r.Pending.Secrets = cid, sid, digests
		return nil
	})
	if err != nil {
		return next, fmt.Errorf("recording the new container: %w", err)
	}
	return updated, nil
}

// pendingView is the machine as its replacement will make it.
func pendingView(mc state.Machine) state.Machine {
	p := mc.Pending
	mc.PrivateIP, mc.Image, mc.Version, mc.Config, mc.ContainerID = p.PrivateIP, p.Image, p.Version, p.Config, p.ContainerID
	mc.SandboxID, mc.Cold, mc.Pending, mc.Secrets = p.SandboxID, false, nil, p.Secrets
	return mc
}

// bringUp starts the new container and waits until it is ready; a machine
// that was not running is stopped again once verified.
func (m *Manager) bringUp(ctx context.Context, next state.Machine, spec Spec, timeout time.Duration, running bool) error {
	p := next.Pending
	if err := m.engine.StartContainer(ctx, p.ContainerID); err != nil {
		return fmt.Errorf("starting the new container: %w", err)
	}
	t := target{machine: next.ID, container: p.ContainerID, addr: p.PrivateIP, port: p.Config.InternalPort, checks: spec.Checks}
	if err := m.waitReady(ctx, t, timeout); err != nil || running {
		return err
	}
	err := m.engine.StopContainer(ctx, p.ContainerID, or(p.Config.StopSignal, DefaultStopSignal), or(p.Config.StopTimeout, DefaultStopTimeout))
	if err != nil {
		return fmt.Errorf("stopping the verified container: %w", err)
	}
	return nil
}

// rollBack removes the pending container and forgets the replacement; cause is returned with whatever failed on the way.
func (m *Manager) rollBack(ctx context.Context, mc state.Machine, cause error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), leaseSyncTimeout)
	defer cancel()
	if mc.Pending == nil {
		return cause
	}
	errs := []error{cause, m.removeContainer(ctx, mc.Pending.ContainerID), m.removeContainer(ctx, mc.Pending.SandboxID)}
	if _, err := m.store.AbortReplace(mc.ID, m.now()); err != nil && !errors.Is(err, state.ErrNoReplacement) {
		errs = append(errs, fmt.Errorf("forgetting the replacement: %w", err))
	}
	return errors.Join(errs...)
}

// commit hands the machine to the new container; the old one is returned in old, for
// Replace to retire.
func (m *Manager) commit(ctx context.Context, prev state.Machine, spec Spec, running bool) (mc, old state.Machine, err error) {
	st := state.MachineStopped
	if running {
		st = state.MachineStarted
	}
	mc, old, err = m.store.CommitReplace(prev.ID, st, m.now())
	if err != nil {
		cur, _ := m.store.Machine("", prev.ID)
		return prev, state.Machine{}, m.rollBack(ctx, cur, fmt.Errorf("replacing machine %s: recording the new container: %w", prev.ID, err))
	}
	m.setChecks(mc.ID, spec.Checks)
	mc, err = m.sync(ctx, mc.ID)
	return mc, old, err
}

// retire stops the replaced container gracefully if it runs, and removes it, then its
// sandbox (after it: the container drains through the sandbox's network). Failures
// are only logged: the machine runs its new container, and Reconcile removes a
// container no record names.
func (m *Manager) retire(ctx context.Context, old state.Machine) {
	cfg := old.Config
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), or(cfg.StopTimeout, DefaultStopTimeout)+leaseSyncTimeout)
	defer cancel()
	if c, err := m.engine.InspectContainer(ctx, old.ContainerID); err == nil && c.State == runtime.StateRunning {
		err = m.engine.StopContainer(ctx, old.ContainerID, or(cfg.StopSignal, DefaultStopSignal), or(cfg.StopTimeout, DefaultStopTimeout))
		if err != nil {
			m.log.Warn("stopping a replaced container", "container", old.ContainerID, "error", err)
		}
	}
	for _, id := range []string{old.ContainerID, old.SandboxID} {
		if err := m.removeContainer(ctx, id); err != nil {
			m.log.Warn("removing a replaced container", "container", id, "error", err)
		}
	}
}
