package deploy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// ReleaseCommandGroup is the group of the temporary machine a release_command runs in.
const ReleaseCommandGroup = "release_command"

const (
	defaultReleaseCommandTimeout = 5 * time.Minute
	releaseCommandTailLines      = 10
)

// runReleaseCommand runs [deploy] release_command once in a temporary machine of the new
// image, made by the machine manager as every machine is (so it gets the app's env and
// secrets), streaming its output as progress. It is destroyed, with its sandbox, however
// the command ends. A non-zero exit is the deploy's failure, before any machine changed.
func (d *deployment) runReleaseCommand(ctx context.Context) error {
	dep := d.req.Config.Deploy
	if dep == nil || strings.TrimSpace(dep.ReleaseCommand) == "" {
		return nil
	}
	cmd, err := splitWords(dep.ReleaseCommand)
	if err != nil {
		return fmt.Errorf("reading release_command: %w", err)
	}
	cfg, err := machineConfig(d.req.Config, d.req.Config.ProcessNames()[0])
	if err != nil {
		return err
	}
	cfg.Cmd, cfg.InternalPort = cmd, 0
	d.step("Running %s release_command: %s", d.req.App, dep.ReleaseCommand)
	m, err := d.mgr.Create(ctx, machine.Spec{App: d.req.App, Group: ReleaseCommandGroup, Region: d.req.Region, Image: d.image, Config: cfg})
	if err != nil {
		return fmt.Errorf("creating the release_command machine: %w", err)
	}
	defer func() {
		if err := d.mgr.Destroy(context.WithoutCancel(ctx), d.req.App, m.ID, true); err != nil {
			d.warn("The release_command machine %s could not be destroyed: %v", m.ID, err)
		}
	}()
	timeout := defaultReleaseCommandTimeout
	if dep.ReleaseCommandTimeout != nil && dep.ReleaseCommandTimeout.Duration > 0 {
		timeout = dep.ReleaseCommandTimeout.Duration
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return d.awaitReleaseCommand(ctx, m)
}

// awaitReleaseCommand starts the machine, relays its output and reads its exit code.
func (d *deployment) awaitReleaseCommand(ctx context.Context, m state.Machine) error {
	if _, err := d.mgr.Start(ctx, d.req.App, m.ID); err != nil {
		return fmt.Errorf("starting the release_command machine: %w", err)
	}
	tail := d.relayOutput(ctx, m.ContainerID)
	c, err := d.waitExit(ctx, m.ContainerID)
	if err != nil {
		return fmt.Errorf("release_command did not finish: %w", err)
	}
	if c.ExitCode != 0 {
		msg := fmt.Sprintf("release_command failed: exit code %d", c.ExitCode)
		if len(tail) > 0 {
			msg += "; its last lines:\n" + strings.Join(tail, "\n")
		}
		return errors.New(msg)
	}
	d.info("release_command finished successfully")
	return nil
}

// relayOutput emits each line of the container's output until it ends, and returns the last ones.
func (d *deployment) relayOutput(ctx context.Context, containerID string) []string {
	rc, err := d.engine.Logs(ctx, containerID, runtime.LogOptions{Follow: true})
	if err != nil {
		d.warn("Reading the release_command's output: %v", err)
		return nil
	}
	defer rc.Close()
	var tail []string
	sc := bufio.NewScanner(rc)
	for sc.Scan() {
		d.info("  %s", sc.Text())
		tail = append(tail, sc.Text())
		if len(tail) > releaseCommandTailLines {
			tail = tail[1:]
		}
	}
	return tail
}

// waitExit polls the container until it has exited.
func (d *deployment) waitExit(ctx context.Context, containerID string) (runtime.Container, error) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		c, err := d.engine.InspectContainer(ctx, containerID)
		if err != nil || c.State == runtime.StateExited || c.State == runtime.StateDead {
			return c, err
		}
		select {
		case <-ctx.Done():
			return c, ctx.Err()
		case <-t.C:
		}
	}
}
