package machine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/sandbox"
	"github.com/hangarhq/hangar/pkg/state"
)

// A machine is two containers: a sandbox that holds its network (6PN address, hostname,
// published port) and runs a program that only waits, and the app's own container,
// which joins that network (Docker's container: mode). Setting up a container's
// network is most of a docker start, so while the machine sleeps the sandbox stays up
// and a wake starts only the app's process, as a Kubernetes pod's sandbox does.

// LabelRole marks a machine's sandbox among its containers.
const (
	LabelRole   = "hangar.role"
	RoleSandbox = "sandbox"
)

// SandboxName is the sandbox of the machine container named container.
func SandboxName(container string) string { return container + "-sandbox" }

// sandboxSpec is the sandbox of mc: on its organization's network at its 6PN address,
// with the machine's ID as hostname and its internal port published on loopback.
func sandboxSpec(mc state.Machine, name, network, image, installation string) runtime.ContainerSpec {
	return runtime.ContainerSpec{
		Name: name, Image: image, Hostname: mc.ID, Network: network, IPv6Address: mc.PrivateIP,
		Labels: map[string]string{LabelManaged: "true", LabelApp: mc.App, LabelMachine: mc.ID, LabelGroup: mc.Group,
			LabelRelease: strconv.Itoa(mc.Version), LabelRole: RoleSandbox, LabelInstallation: installation},
		PublishPort: mc.Config.InternalPort,
		// Docker's init forwards the stop signal to the waiting program, which dies of it.
		Init: true, StopSignal: "SIGTERM", StopTimeout: time.Second,
	}
}

// createSandbox creates the sandbox of mc and starts it: the app's container can only
// be created to join a sandbox that runs.
func (m *Manager) createSandbox(ctx context.Context, mc state.Machine, name string) (string, error) {
	network, err := m.ensureNetwork(ctx, mc.App)
	if err != nil {
		return "", err
	}
	id, err := m.createFromSandboxImage(ctx, mc, name, network)
	if err != nil {
		return "", fmt.Errorf("creating sandbox %s: %w", name, err)
	}
	if err := m.engine.StartContainer(ctx, id); err != nil {
		return "", errors.Join(fmt.Errorf("starting sandbox %s: %w", name, err), m.removeContainer(ctx, id))
	}
	return id, nil
}

// createFromSandboxImage creates the sandbox container from the image this agent built
// or found; when that image was removed since, it is built again and the create retried.
func (m *Manager) createFromSandboxImage(ctx context.Context, mc state.Machine, name, network string) (string, error) {
	for again := false; ; again = true {
		image, err := m.sandboxImage(ctx)
		if err != nil {
			return "", err
		}
		id, err := m.engine.CreateContainer(ctx, sandboxSpec(mc, name, network, image, m.store.InstallationID()))
		if !errors.Is(err, runtime.ErrImageNotFound) || again {
			return id, err
		}
		m.mu.Lock()
		m.sandboxRef = ""
		m.mu.Unlock()
	}
}

// sandboxImage is the sandbox image, built or found once per agent.
func (m *Manager) sandboxImage(ctx context.Context) (string, error) {
	m.mu.Lock()
	ref := m.sandboxRef
	m.mu.Unlock()
	if ref != "" {
		return ref, nil
	}
	ref, err := sandbox.Ensure(ctx, m.engine, nil) // containers inherit an image's labels
	if err != nil {
		return "", err
	}
	m.mu.Lock()
	m.sandboxRef = ref
	m.mu.Unlock()
	return ref, nil
}

// warm makes the sandbox of mc run, so its app's container can start: it starts a
// stopped (cold) sandbox, and when the sandbox is gone, made behind hangar's back,
// creates both containers again from the record. It returns the machine as recorded.
func (m *Manager) warm(ctx context.Context, mc state.Machine) (state.Machine, error) {
	sb, err := m.engine.InspectContainer(ctx, mc.SandboxID)
	switch {
	case errors.Is(err, runtime.ErrNotFound):
		return m.recreate(ctx, mc)
	case err != nil:
		return mc, err
	case sb.State == runtime.StatePaused:
		err = m.engine.UnpauseContainer(ctx, sb.ID)
	case sb.State != runtime.StateRunning:
		err = m.engine.StartContainer(ctx, sb.ID)
	}
	if err != nil {
		return mc, fmt.Errorf("starting its sandbox: %w", err)
	}
	if !mc.Cold {
		return mc, nil
	}
	return m.store.UpdateMachine(mc.ID, m.now(), func(r *state.Machine) error { r.Cold = false; return nil })
}

// recreate replaces both containers of mc, whose sandbox is gone: an app container
// stays bound to the sandbox it was created with.
func (m *Manager) recreate(ctx context.Context, mc state.Machine) (state.Machine, error) {
	m.log.Warn("the sandbox of a machine was removed outside hangar: creating its containers again", "machine", mc.ID)
	name := ContainerName(mc.App, mc.ID, 0)
	if c, err := m.engine.InspectContainer(ctx, mc.ContainerID); err == nil {
		name = c.Name
	}
	if err := m.removeContainer(ctx, mc.ContainerID); err != nil {
		return mc, err
	}
	cid, sid, digests, err := m.createContainer(ctx, mc, name, Spec{})
	if err != nil {
		return mc, err
	}
	return m.store.UpdateMachine(mc.ID, m.now(), func(r *state.Machine) error {
		r.ContainerID, r.SandboxID, r.Cold, r.Secrets = cid, sid, false, digests
		return nil
	})
}

// Cool stops the sandbox of a machine that sleeps in the stop tier: it then costs no
// process and no address, and its next wake sets its network up again. A machine that
// runs, is suspended or has no sandbox is left as it is.
func (m *Manager) Cool(ctx context.Context, app, id string) (state.Machine, error) {
	release, mc, err := m.holdMachine(ctx, app, id)
	if err != nil {
		return mc, err
	}
	defer release()
	if mc.Tier() != state.TierStop || mc.SandboxID == "" {
		return mc, nil
	}
	if err := m.engine.StopContainer(ctx, mc.SandboxID, "SIGTERM", time.Second); err != nil && !errors.Is(err, runtime.ErrNotFound) {
		return mc, fmt.Errorf("stopping the sandbox of machine %s: %w", id, err)
	}
	return m.store.UpdateMachine(id, m.now(), func(r *state.Machine) error { r.Cold = true; return nil })
}

// checkSandbox settles a machine whose sandbox stopped or went behind hangar's back. A
// sleeping machine is recorded cold: its wake sets the sandbox up again. A machine
// that runs lost its network with its sandbox (a container keeps the namespace it
// joined), so it is stopped and started again in a sandbox that runs.
func (m *Manager) checkSandbox(ctx context.Context, mc state.Machine) (state.Machine, error) {
	if mc.SandboxID == "" || mc.Cold {
		return mc, nil
	}
	sb, err := m.engine.InspectContainer(ctx, mc.SandboxID)
	if err == nil && sb.State == runtime.StateRunning || err != nil && !errors.Is(err, runtime.ErrNotFound) {
		return mc, err
	}
	running := mc.State == state.MachineStarted || mc.State == state.MachineStarting || mc.State == state.MachineSuspended
	if mc, err = m.store.UpdateMachine(mc.ID, m.now(), func(r *state.Machine) error { r.Cold = true; return nil }); err != nil || !running {
		return mc, err
	}
	m.log.Warn("a running machine's sandbox stopped: starting the machine again in a new one", "machine", mc.ID)
	m.goingAway(mc.App, mc.ID)
	if err := m.stop(ctx, mc, "", 0); err != nil {
		return mc, fmt.Errorf("stopping machine %s, whose sandbox stopped: %w", mc.ID, err)
	}
	if err := m.start(ctx, mc); err != nil {
		return mc, fmt.Errorf("starting machine %s in a new sandbox: %w", mc.ID, err)
	}
	return m.sync(ctx, mc.ID)
}

// sandboxEvent checks the machine whose sandbox container an event concerns.
func (m *Manager) sandboxEvent(ctx context.Context, id, containerID string) error {
	mc, err := m.store.Machine("", id)
	if err != nil || mc.SandboxID != containerID {
		return err // a retired or rolled-back sandbox: nothing runs in it
	}
	_, err = m.checkSandbox(ctx, mc)
	return err
}
