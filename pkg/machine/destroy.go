package machine

import (
	"context"
	"errors"
	"fmt"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// live are the states in which Destroy wants force, as flyctl does.
var live = map[string]bool{state.MachineStarted: true, state.MachineStarting: true,
	state.MachineSuspended: true, state.MachineStopping: true, state.MachineReplacing: true}

// Destroy removes a machine's container, then its record and addresses. A
// machine that is not stopped needs force.
func (m *Manager) Destroy(ctx context.Context, app, id string, force bool) error {
	if force { // without force only a machine that serves nothing is destroyed
		m.goingAway(app, id)
	}
	release, err := m.hold(ctx, id)
	if err != nil {
		return err
	}
	defer release()
	mc, err := m.store.Machine(app, id)
	if err != nil {
		return err
	}
	if live[mc.State] && !force {
		return userErrorf(ErrMachineStarted, "machine %s currently %s, either stop first or use --force flag", id, mc.State)
	}
	return m.destroy(ctx, mc)
}

// destroy removes the containers and sandboxes, then the record; the caller holds the machine.
func (m *Manager) destroy(ctx context.Context, mc state.Machine) error {
	ids := []string{mc.ContainerID, mc.SandboxID}
	if mc.Pending != nil {
		ids = append([]string{mc.Pending.ContainerID, mc.Pending.SandboxID}, ids...)
	}
	for _, id := range ids { // each app container before the sandbox it runs in
		if err := m.removeContainer(ctx, id); err != nil {
			return fmt.Errorf("destroying machine %s: %w", mc.ID, err)
		}
	}
	if err := m.store.DestroyMachine(mc.ID, m.now()); err != nil && !errors.Is(err, state.ErrMachineNotFound) {
		return fmt.Errorf("destroying machine %s: %w", mc.ID, err)
	}
	m.setChecks(mc.ID, nil)
	return nil
}

// DestroyApp removes every container of the app, then the app's records.
func (m *Manager) DestroyApp(ctx context.Context, app string) error {
	ms, err := m.store.Machines(app)
	if err != nil {
		return fmt.Errorf("destroying app %s: %w", app, err)
	}
	for _, mc := range ms {
		m.goingAway(app, mc.ID)
		if err := m.destroyHeld(ctx, mc.ID); err != nil {
			return fmt.Errorf("destroying app %s: %w", app, err)
		}
	}
	if err := m.removeStrays(ctx, app); err != nil {
		return fmt.Errorf("destroying app %s: %w", app, err)
	}
	a, err := m.store.App(app)
	if err != nil {
		return fmt.Errorf("destroying app %s: %w", app, err)
	}
	if err := m.store.DestroyApp(app, m.now()); err != nil {
		return fmt.Errorf("destroying app %s: %w", app, err)
	}
	if err := m.removeAppVolumes(ctx, app); err != nil {
		return fmt.Errorf("destroying app %s: %w", app, err)
	}
	m.removeIdleNetwork(ctx, a.Org)
	return nil
}

// removeIdleNetwork removes an organization's network once it has no app left; a
// failure only costs an empty network, so it is logged, not returned.
func (m *Manager) removeIdleNetwork(ctx context.Context, org string) {
	if apps, err := m.store.Apps(org); err != nil || len(apps) > 0 {
		return
	}
	name := NetworkName(org, m.store.InstallationID())
	if err := m.engine.RemoveNetwork(ctx, name); err != nil && !errors.Is(err, runtime.ErrNotFound) {
		m.log.Warn("removing an unused network", "network", name, "error", err)
	}
}

func (m *Manager) destroyHeld(ctx context.Context, id string) error {
	release, err := m.hold(ctx, id)
	if err != nil {
		return err
	}
	defer release()
	mc, err := m.store.Machine("", id)
	if errors.Is(err, state.ErrMachineNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return m.destroy(ctx, mc)
}

// removeStrays removes containers labelled with the app that no record names.
func (m *Manager) removeStrays(ctx context.Context, app string) error {
	list, err := m.engine.ListContainers(ctx, map[string]string{LabelManaged: "true", LabelInstallation: m.store.InstallationID(), LabelApp: app})
	if err != nil {
		return fmt.Errorf("listing its containers: %w", err)
	}
	for _, c := range list {
		if err := m.removeContainer(ctx, c.ID); err != nil {
			return err
		}
	}
	return nil
}
