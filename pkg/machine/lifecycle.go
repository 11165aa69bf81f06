package machine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// Create records a machine with its 6PN address, then creates its container
// on the organization's network. The machine is not started. If the
// container cannot be created, the record goes too.
func (m *Manager) Create(ctx context.Context, spec Spec) (state.Machine, error) {
	if spec.Group == "" {
		spec.Group = state.DefaultGroup
	}
	mc, err := m.store.CreateMachine(state.NewMachine{App: spec.App, Group: spec.Group, Region: spec.Region,
		Image: spec.Image, Version: spec.Version, Config: spec.Config}, m.now())
	if err != nil {
		return mc, fmt.Errorf("recording a machine for %s: %w", spec.App, err)
	}
	release, err := m.hold(ctx, mc.ID)
	if err != nil {
		return mc, m.forget(mc.ID, err)
	}
	defer release()
	cid, sid, digests, err := m.createContainer(ctx, mc, ContainerName(mc.App, mc.ID, 0), spec)
	if err != nil {
		return mc, m.forget(mc.ID, fmt.Errorf("creating machine %s: %w", mc.ID, err))
	}
	CrashAt(CrashDeployContainerCreated)
	m.setChecks(mc.ID, spec.Checks)
	return m.store.UpdateMachine(mc.ID, m.now(), func(r *state.Machine) error {
		r.ContainerID, r.SandboxID, r.Secrets = cid, sid, digests
		return nil
	})
}

// forget deletes a machine record that never got its container and returns cause.
func (m *Manager) forget(id string, cause error) error {
	if err := m.store.DestroyMachine(id, m.now()); err != nil {
		return errors.Join(cause, fmt.Errorf("forgetting machine %s: %w", id, err))
	}
	return cause
}

// Start starts a created or stopped machine, or resumes a suspended one.
func (m *Manager) Start(ctx context.Context, app, id string) (state.Machine, error) {
	release, mc, err := m.holdMachine(ctx, app, id)
	if err != nil {
		return mc, err
	}
	defer release()
	if err := m.start(ctx, mc); err != nil {
		m.sync(ctx, id)
		return mc, fmt.Errorf("starting machine %s: %w", id, err)
	}
	CrashAt(CrashWakeStartRequested)
	mc, err = m.sync(ctx, id)
	CrashAt(CrashWakeStartedRecorded)
	return mc, err
}

func (m *Manager) start(ctx context.Context, mc state.Machine) error {
	c, err := m.engine.InspectContainer(ctx, mc.ContainerID)
	switch {
	case errors.Is(err, runtime.ErrNotFound):
		return fmt.Errorf("its container was removed outside hangar: destroy the machine and deploy again")
	case err != nil:
		return err
	case c.State == runtime.StatePaused:
		return m.engine.UnpauseContainer(ctx, c.ID)
	case c.State == runtime.StateRunning:
		return nil
	}
	if err := m.setState(mc.ID, state.MachineStarting); err != nil {
		return err
	}
	if mc.Cold {
		if mc, err = m.warm(ctx, mc); err != nil {
			return err
		}
	}
	err = m.engine.StartContainer(ctx, mc.ContainerID)
	if err != nil && mc.SandboxID != "" {
		// Its sandbox died or was removed behind hangar's back: set it up and try again.
		m.log.Warn("a machine's sandbox was not running: starting it again", "machine", mc.ID, "error", err)
		if mc, err = m.warm(ctx, mc); err != nil {
			return err
		}
		err = m.engine.StartContainer(ctx, mc.ContainerID)
	}
	return err
}

// Stop sends signal (the machine's kill_signal when empty) and kills the
// machine after timeout (its kill_timeout when zero).
func (m *Manager) Stop(ctx context.Context, app, id, signal string, timeout time.Duration) (state.Machine, error) {
	m.goingAway(app, id)
	return m.StopIdle(ctx, app, id, signal, timeout)
}

// StopIdle is Stop without the warning to the proxy: the proxy's own idle stop, which
// has no connection open to the machine, so its stop path never comes back into it.
func (m *Manager) StopIdle(ctx context.Context, app, id, signal string, timeout time.Duration) (state.Machine, error) {
	release, mc, err := m.holdMachine(ctx, app, id)
	if err != nil {
		return mc, err
	}
	defer release()
	if err := m.stop(ctx, mc, signal, timeout); err != nil {
		m.sync(ctx, id)
		return mc, fmt.Errorf("stopping machine %s: %w", id, err)
	}
	CrashAt(CrashStopBeforeRecorded)
	defer m.nudgeCooler()
	return m.sync(ctx, id)
}

// stop marks the machine stopping, so that its exit reads as stopped, not failed.
func (m *Manager) stop(ctx context.Context, mc state.Machine, signal string, timeout time.Duration) error {
	if signal == "" {
		signal = or(mc.Config.StopSignal, DefaultStopSignal)
	}
	if timeout == 0 {
		timeout = or(mc.Config.StopTimeout, DefaultStopTimeout)
	}
	if err := m.setState(mc.ID, state.MachineStopping); err != nil {
		return err
	}
	CrashAt(CrashStopRequested)
	if c, err := m.engine.InspectContainer(ctx, mc.ContainerID); err == nil && c.State == runtime.StatePaused {
		if err := m.engine.UnpauseContainer(ctx, c.ID); err != nil {
			return err
		}
	}
	return m.engine.StopContainer(ctx, mc.ContainerID, signal, timeout)
}

// Suspend freezes a started machine (docker pause); Start resumes it.
func (m *Manager) Suspend(ctx context.Context, app, id string) (state.Machine, error) {
	release, mc, err := m.holdMachine(ctx, app, id)
	if err != nil {
		return mc, err
	}
	defer release()
	if err := m.engine.PauseContainer(ctx, mc.ContainerID); err != nil {
		return mc, fmt.Errorf("suspending machine %s: %w", id, err)
	}
	return m.sync(ctx, id)
}

// Logs streams a machine's output; follow keeps it open, tail limits it to the last lines.
func (m *Manager) Logs(ctx context.Context, app, id string, follow bool, tail int) (io.ReadCloser, error) {
	mc, err := m.store.Machine(app, id)
	if err == nil && mc.ContainerID == "" {
		err = fmt.Errorf("machine %s: %w", id, ErrNoContainer)
	}
	if err != nil {
		return nil, err
	}
	rc, err := m.engine.Logs(ctx, mc.ContainerID, runtime.LogOptions{Follow: follow, Tail: tail})
	if err != nil {
		return nil, fmt.Errorf("reading the logs of machine %s: %w", id, err)
	}
	return rc, nil
}

// holdMachine takes a machine of app for one operation and reads its record.
func (m *Manager) holdMachine(ctx context.Context, app, id string) (func(), state.Machine, error) {
	release, err := m.hold(ctx, id)
	if err != nil {
		return nil, state.Machine{}, err
	}
	mc, err := m.store.Machine(app, id)
	if err == nil && mc.ContainerID == "" {
		err = fmt.Errorf("machine %s: %w", id, ErrNoContainer)
	}
	if err != nil {
		release()
		return nil, mc, err
	}
	return release, mc, nil
}

func (m *Manager) setState(id, st string) error {
	_, err := m.store.UpdateMachine(id, m.now(), func(r *state.Machine) error { r.State = st; return nil })
	return err
}

func or[T comparable](v, fallback T) T {
	var zero T
	if v == zero {
		return fallback
	}
	return v
}
