package docker

import (
	"context"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
)

// defaultStopTimeout is Docker's grace period when a container sets none.
const defaultStopTimeout = 10 * time.Second

// StopContainer stops a container with signal within timeout, then kills it.
// Engines before API 1.42 (Docker 20.10) ignore the stop request's signal, so
// there the signal is sent with kill and the grace period is timed here.
func (e *Engine) StopContainer(ctx context.Context, id string, signal string, timeout time.Duration) error {
	if signal == "" || e.cli.NewVersionError(ctx, "1.42", "stop signal") == nil {
		return e.err(e.cli.ContainerStop(ctx, id, container.StopOptions{Signal: signal, Timeout: seconds(timeout)}))
	}
	if err := e.cli.ContainerKill(ctx, id, signal); err != nil {
		if notRunning(err) {
			return nil
		}
		return e.err(err)
	}
	if e.waitStopped(ctx, id, e.grace(ctx, id, timeout)) {
		return nil
	}
	now := 0
	err := e.cli.ContainerStop(ctx, id, container.StopOptions{Timeout: &now})
	if cerrdefs.IsNotFound(err) { // removed on exit (AutoRemove)
		return nil
	}
	return e.err(err)
}

// grace is timeout, or else the container's own stop timeout.
func (e *Engine) grace(ctx context.Context, id string, timeout time.Duration) time.Duration {
	if timeout > 0 {
		return timeout
	}
	c, err := e.cli.ContainerInspect(ctx, id)
	if err == nil && c.Config != nil && c.Config.StopTimeout != nil {
		return time.Duration(*c.Config.StopTimeout) * time.Second
	}
	return defaultStopTimeout
}

// waitStopped reports whether the container stopped within d.
func (e *Engine) waitStopped(ctx context.Context, id string, d time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	done, errs := e.cli.ContainerWait(ctx, id, container.WaitConditionNotRunning)
	select {
	case <-done:
		return true
	case err := <-errs:
		return cerrdefs.IsNotFound(err)
	}
}

// notRunning reports Docker's refusal to signal a stopped container.
func notRunning(err error) bool {
	return cerrdefs.IsConflict(err) && strings.Contains(err.Error(), "is not running")
}
