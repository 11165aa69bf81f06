package machine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"strconv"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/hostnet"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// NetworkName is the Docker network of an organization's machines in one installation.
func NetworkName(org, installation string) string { return "hangar-" + org + "-" + installation }

// ContainerName is the container of a machine; a replacement carries its release version.
func ContainerName(app, id string, version int) string {
	if version == 0 {
		return fmt.Sprintf("hangar-%s-%s", app, id)
	}
	return fmt.Sprintf("hangar-%s-%s-v%d", app, id, version)
}

// ensureNetwork creates the app's organization network, or checks the one there is.
func (m *Manager) ensureNetwork(ctx context.Context, appName string) (string, error) {
	app, err := m.store.App(appName)
	if err != nil {
		return "", err
	}
	org, err := m.store.Org(app.Org)
	if err != nil {
		return "", err
	}
	labels := map[string]string{LabelManaged: "true", LabelOrg: org.Slug, LabelInstallation: m.store.InstallationID()}
	spec := runtime.NetworkSpec{Name: NetworkName(org.Slug, m.store.InstallationID()), Subnet: ipalloc.MachineSubnet(org.Prefix),
		Gateway: ipalloc.MachineGateway(org.Prefix), Labels: labels}
	n, err := m.engine.EnsureNetwork(ctx, spec)
	if err != nil {
		return "", fmt.Errorf("preparing the network of organization %s: %w", org.Slug, err)
	}
	m.skipGatewayDAD(n)
	return spec.Name, nil
}

// skipGatewayDAD spares the first machine of a new network a 2 s wait (see hostnet);
// without the privilege it only costs that wait, so a failure is logged, not returned.
func (m *Manager) skipGatewayDAD(n runtime.Network) {
	if n.Interface == "" || !n.Gateway.IsValid() {
		return
	}
	if err := hostnet.SkipGatewayDAD(n.Interface, netip.PrefixFrom(n.Gateway, n.Subnet.Bits())); err != nil {
		m.log.Debug("leaving DAD on the network's gateway", "network", n.Name, "error", err)
	}
}

// createContainer creates the sandbox of mc, started, and the app's container that
// joins it, not started, as mc is recorded (a replacement passes mc with the pending
// values in place). It returns both IDs and the digests of the secrets the app's
// container got, for the record; on failure neither container is left.
func (m *Manager) createContainer(ctx context.Context, mc state.Machine, name string, spec Spec) (cid, sandboxID string, digests map[string]string, err error) {
	secrets, err := m.secretEnv(mc.App)
	if err != nil {
		return "", "", nil, err
	}
	sandboxID, err = m.createSandbox(ctx, mc, SandboxName(name))
	if err != nil {
		return "", "", nil, err
	}
	CrashAt(CrashSandboxCreated)
	cs := containerSpec(mc, name, sandboxID)
	maps.Copy(cs.Env, secrets.Env) // secrets override [env], as on Fly
	cs.Labels[LabelInstallation] = m.store.InstallationID()
	cs.ResolvConf = m.resolvConf
	cs.Mounts = m.mounts(mc)
	cs.Tty = cs.Tty || spec.Tty
	// StdinOnce closes the machine's stdin when its session ends (docker run -i does the
	// same); without it Docker keeps stdin open for other attachers and a piped shell
	// never sees the end of its input.
	cs.OpenStdin, cs.StdinOnce = spec.OpenStdin, spec.OpenStdin
	cid, err = m.engine.CreateContainer(ctx, cs)
	if err != nil {
		return "", "", nil, errors.Join(fmt.Errorf("creating container %s: %w", name, err), m.removeContainer(ctx, sandboxID))
	}
	return cid, sandboxID, secrets.Digests, nil
}

// containerSpec is the app's container of a machine: labelled as hangar's, in the
// network of its sandbox, never restarted by the engine.
func containerSpec(mc state.Machine, name, sandboxID string) runtime.ContainerSpec {
	cfg := mc.Config
	cs := runtime.ContainerSpec{
		Name: name, Image: mc.Image, Cmd: cfg.Cmd, Entrypoint: cfg.Entrypoint, Env: machineEnv(mc),
		Labels: map[string]string{LabelManaged: "true", LabelApp: mc.App, LabelMachine: mc.ID,
			LabelGroup: mc.Group, LabelRelease: strconv.Itoa(mc.Version)},
		NetworkOf:  sandboxID,
		StopSignal: cfg.StopSignal, StopTimeout: cfg.StopTimeout,
		MemoryMB: cfg.MemoryMB, CPUs: float64(cfg.CPUs), Tty: cfg.Tty,
		Init: true,
	}
	if cs.StopSignal == "" {
		cs.StopSignal = DefaultStopSignal
	}
	if cs.StopTimeout == 0 {
		cs.StopTimeout = DefaultStopTimeout
	}
	return cs
}

// machineEnv is the config's environment plus the variables Fly sets in every machine.
func machineEnv(mc state.Machine) map[string]string {
	env := maps.Clone(mc.Config.Env)
	if env == nil {
		env = map[string]string{}
	}
	maps.Copy(env, map[string]string{
		"FLY_APP_NAME": mc.App, "FLY_MACHINE_ID": mc.ID, "FLY_REGION": mc.Region,
		"FLY_PRIVATE_IP": mc.PrivateIP.String(), "FLY_PROCESS_GROUP": mc.Group, "FLY_IMAGE_REF": mc.Image,
		"FLY_MACHINE_VERSION": strconv.Itoa(mc.Version), "PRIMARY_REGION": mc.Region,
	})
	return env
}

// removeContainer removes a container whatever its state; one that is gone already is no error.
func (m *Manager) removeContainer(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	err := m.engine.RemoveContainer(ctx, id, true)
	if err != nil && !errors.Is(err, runtime.ErrNotFound) {
		return fmt.Errorf("removing container %.12s: %w", id, err)
	}
	return nil
}
