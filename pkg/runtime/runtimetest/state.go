package runtimetest

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// firstHostPort is where the fake's "ephemeral" loopback ports start.
const firstHostPort = 32768

// StartContainer runs a created or exited container; starting a running one
// does nothing, as in Docker.
func (e *Engine) StartContainer(ctx context.Context, id string) error {
	return e.transition("StartContainer", id, func(c *container) error {
		switch c.State {
		case runtime.StateRunning:
			return nil
		case runtime.StatePaused:
			return fmt.Errorf("%w: cannot start a paused container %s, unpause it instead", runtime.ErrConflict, c.Name)
		}
		if err := e.checkSharedNetwork(c); err != nil {
			return err
		}
		if other := e.holder(c.IPv6Address, c.ID); other != "" {
			return fmt.Errorf("%w: %s is used by container %s", runtime.ErrAddressInUse, c.IPv6Address, other)
		}
		c.State, c.StartedAt, c.ExitCode, c.OOMKilled = runtime.StateRunning, e.now(), 0, false
		if c.spec.PublishPort != 0 {
			e.ports++
			c.HostPort = firstHostPort + e.ports
		}
		e.emit(c, runtime.ActionStart)
		return nil
	})
}

// checkSharedNetwork refuses, as Docker does, to start a container whose network's
// owner is gone or not running.
func (e *Engine) checkSharedNetwork(c *container) error {
	if c.NetworkOf == "" {
		return nil
	}
	owner := e.networkOwner(c.NetworkOf)
	switch {
	case owner == nil:
		return fmt.Errorf("%w: no such container: %s", runtime.ErrNotFound, c.NetworkOf)
	case owner.State != runtime.StateRunning:
		return fmt.Errorf("%w: cannot join network of a non running container: %s", runtime.ErrConflict, c.NetworkOf)
	}
	return nil
}

// NetworkOwner is the container whose network c runs in: c itself, or the one it shares.
func (e *Engine) NetworkOwner(c runtime.Container) (runtime.Container, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c.NetworkOf == "" {
		return c, true
	}
	owner := e.networkOwner(c.NetworkOf)
	if owner == nil {
		return runtime.Container{}, false
	}
	return owner.snapshot(), true
}

// networkOwner finds the container named by a container: network mode, or nil.
func (e *Engine) networkOwner(ref string) *container {
	c, err := e.lookup(ref)
	if err != nil {
		return nil
	}
	return c
}

// holder names the running container other than id that holds addr.
func (e *Engine) holder(addr netip.Addr, id string) string {
	for _, c := range e.containers {
		if addr.IsValid() && c.ID != id && c.IPv6Address == addr && c.State != runtime.StateCreated && c.State != runtime.StateExited {
			return c.Name
		}
	}
	return ""
}

// StopContainer ends a running or paused container with exit code 0;
// stopping a stopped one does nothing.
func (e *Engine) StopContainer(ctx context.Context, id string, signal string, timeout time.Duration) error {
	return e.transition("StopContainer", id, func(c *container) error {
		if live(c) {
			e.finish(c, 0, true)
		}
		return nil
	})
}

// PauseContainer freezes a running container.
func (e *Engine) PauseContainer(ctx context.Context, id string) error {
	return e.transition("PauseContainer", id, func(c *container) error {
		return e.move(c, runtime.StateRunning, runtime.StatePaused, runtime.ActionPause)
	})
}

// UnpauseContainer thaws a paused container.
func (e *Engine) UnpauseContainer(ctx context.Context, id string) error {
	return e.transition("UnpauseContainer", id, func(c *container) error {
		return e.move(c, runtime.StatePaused, runtime.StateRunning, runtime.ActionUnpause)
	})
}

func (e *Engine) move(c *container, from, to runtime.State, action runtime.Action) error {
	if c.State != from {
		return fmt.Errorf("%w: container %s is %s, not %s", runtime.ErrConflict, c.Name, c.State, from)
	}
	c.State = to
	e.emit(c, action)
	return nil
}

// RemoveContainer deletes a stopped container, or a live one with force.
func (e *Engine) RemoveContainer(ctx context.Context, id string, force bool) error {
	return e.transition("RemoveContainer", id, func(c *container) error {
		if live(c) && !force {
			return fmt.Errorf("%w: cannot remove running container %s: stop it first or force removal", runtime.ErrConflict, c.Name)
		}
		if live(c) {
			e.finish(c, 137, false)
		}
		if c.State != runtime.StateRemoving { // AutoRemove already removed it
			e.destroy(c)
		}
		return nil
	})
}

// Exit makes a running container's process exit with code, as a crash would.
func (e *Engine) Exit(id string, code int) error {
	return e.transition("Exit", id, func(c *container) error {
		if !live(c) {
			return fmt.Errorf("%w: container %s is not running", runtime.ErrConflict, c.Name)
		}
		e.finish(c, code, false)
		return nil
	})
}

// OOM makes a running container run out of memory: oom, then die with 137.
func (e *Engine) OOM(id string) error {
	return e.transition("OOM", id, func(c *container) error {
		if !live(c) {
			return fmt.Errorf("%w: container %s is not running", runtime.ErrConflict, c.Name)
		}
		e.emit(c, runtime.ActionOOM)
		c.OOMKilled = true
		e.finish(c, 137, false)
		return nil
	})
}

// transition runs change on a container under the lock.
func (e *Engine) transition(op, id string, change func(*container) error) error {
	if err := e.begin(op, id); err != nil {
		return err
	}
	defer e.mu.Unlock()
	c, err := e.lookup(id)
	if err != nil {
		return err
	}
	return change(c)
}

func live(c *container) bool {
	return c.State == runtime.StateRunning || c.State == runtime.StatePaused
}

// finish ends the process: die, then stop if asked to, then destroy if AutoRemove.
func (e *Engine) finish(c *container, code int, stopped bool) {
	c.State, c.ExitCode, c.FinishedAt, c.HostPort = runtime.StateExited, code, e.now(), 0
	e.emit(c, runtime.ActionDie)
	if stopped {
		e.emit(c, runtime.ActionStop)
	}
	if c.spec.AutoRemove {
		e.destroy(c)
	}
}

func (e *Engine) destroy(c *container) {
	c.State = runtime.StateRemoving
	delete(e.containers, c.ID)
	if c.terminal != nil {
		c.terminal.Close()
	}
	e.emit(c, runtime.ActionDestroy)
}
