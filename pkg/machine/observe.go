package machine

import (
	"context"
	"errors"
	"fmt"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// sync reads the machine's container and records the state it shows: the
// engine is the truth, the record follows it.
func (m *Manager) sync(ctx context.Context, id string) (state.Machine, error) {
	mc, err := m.store.Machine("", id)
	if err != nil || mc.ContainerID == "" {
		return mc, err
	}
	c, err := m.engine.InspectContainer(ctx, mc.ContainerID)
	if errors.Is(err, runtime.ErrNotFound) {
		c, err = runtime.Container{ID: mc.ContainerID, State: runtime.StateRemoving}, nil
	}
	if err != nil {
		return mc, fmt.Errorf("inspecting machine %s: %w", id, err)
	}
	return m.record(mc, c)
}

// record stores what container c shows of machine mc, when that changes anything.
func (m *Manager) record(mc state.Machine, c runtime.Container) (state.Machine, error) {
	next := mc
	observe(&next, c)
	if next.State == mc.State && next.ExitCode == mc.ExitCode && next.LastError == mc.LastError {
		return mc, nil
	}
	updated, err := m.store.UpdateMachine(mc.ID, m.now(), func(cur *state.Machine) error {
		if cur.ContainerID != c.ID {
			return errStale
		}
		asleep := cur.State == state.MachineStopped
		observe(cur, c)
		if cur.State == state.MachineStopped && !asleep {
			cur.StoppedAt = m.now()
		}
		return nil
	})
	if errors.Is(err, errStale) {
		return m.store.Machine("", mc.ID)
	}
	return updated, err
}

// observe sets the machine's state from its container's. An exit is a
// failure unless hangar stopped the machine or the process exited 0.
func observe(mc *state.Machine, c runtime.Container) {
	switch c.State {
	case runtime.StateRunning, runtime.StateRestarting:
		mc.State, mc.ExitCode = state.MachineStarted, 0 // the exit code is the last run's
	case runtime.StatePaused:
		mc.State = state.MachineSuspended
	case runtime.StateCreated:
		if mc.State != state.MachineStarting {
			mc.State = state.MachineCreated
		}
	case runtime.StateExited, runtime.StateDead:
		observeExit(mc, c)
	case runtime.StateRemoving:
		mc.State = state.MachineDestroyed
	}
}

func observeExit(mc *state.Machine, c runtime.Container) {
	stoppedByUs := mc.State == state.MachineStopping || mc.State == state.MachineStopped
	mc.ExitCode = c.ExitCode
	switch {
	case c.OOMKilled:
		mc.LastError = oomMessage(mc.Config.MemoryMB)
	case c.Error != "":
		mc.LastError = c.Error
	case c.ExitCode != 0 && !stoppedByUs:
		mc.LastError = fmt.Sprintf("exited with code %d", c.ExitCode)
	}
	if stoppedByUs || c.ExitCode == 0 && !c.OOMKilled && c.Error == "" {
		mc.State = state.MachineStopped
		return
	}
	mc.State = state.MachineFailed
}

func oomMessage(limitMB int) string {
	if limitMB <= 0 {
		return "out of memory: the process was killed"
	}
	return fmt.Sprintf("out of memory: the process used all of its %d MB and was killed", limitMB)
}
