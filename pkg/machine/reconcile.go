package machine

import (
	"context"
	"errors"
	"fmt"

	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

// interrupted is the reason given to releases an earlier agent left pending.
const interrupted = "interrupted: the agent stopped during the deploy"

// Reconcile brings records and containers into agreement when the agent starts:
//
//   - (a) a container labelled hangar.managed=true of a known app that no
//     record names, as its container or its pending replacement, is removed:
//     a crash orphaned it. Containers of apps this state does not know are
//     left alone, since another hangar home (an e2e run) may own them.
//   - (b) a record from before this agent started that never got its
//     container is forgotten (record and 6PN): its Create was interrupted,
//     and the release that wanted it is failed by (f).
//   - (c) an interrupted replacement is rolled back: its container removed,
//     its address released; the machine keeps its old container.
//   - (d, e) every other record takes the state of its container, and
//     becomes destroyed when the container is gone.
//   - (f) releases an earlier agent left pending are marked failed.
//
// Machines an operation holds are skipped: that operation settles them.
// Nothing without the hangar.managed=true label is ever touched.
func (m *Manager) Reconcile(ctx context.Context) error {
	err := m.reconcile(ctx, true)
	return errors.Join(err, m.abandonReleases())
}

// reconcile does (a), (d) and (e), plus (b) and (c) after a crash.
func (m *Manager) reconcile(ctx context.Context, afterCrash bool) error {
	list, err := m.engine.ListContainers(ctx, m.managedLabels())
	if err != nil {
		return fmt.Errorf("listing hangar's containers: %w", err)
	}
	records, err := m.store.Machines("")
	if err != nil {
		return fmt.Errorf("reading machine records: %w", err)
	}
	errs := []error{m.removeOrphans(ctx, list, records)}
	for _, mc := range records {
		errs = append(errs, m.reconcileMachine(ctx, mc.ID, afterCrash))
	}
	return errors.Join(errs...)
}

func (m *Manager) removeOrphans(ctx context.Context, list []runtime.Container, records []state.Machine) error {
	apps, err := m.store.Apps("")
	if err != nil {
		return fmt.Errorf("reading apps: %w", err)
	}
	known := map[string]bool{}
	for _, a := range apps {
		known[a.Name] = true
	}
	var errs []error
	for _, c := range list {
		if known[c.Labels[LabelApp]] && !ownedBy(c.ID, records) {
			errs = append(errs, m.removeOrphan(ctx, c))
		}
	}
	return errors.Join(errs...)
}

func ownedBy(containerID string, records []state.Machine) bool {
	for _, mc := range records {
		if mc.ContainerID == containerID || mc.SandboxID == containerID {
			return true
		}
		if p := mc.Pending; p != nil && (p.ContainerID == containerID || p.SandboxID == containerID) {
			return true
		}
	}
	return false
}

// removeOrphan removes c unless its machine, read again while held, owns it after all.
func (m *Manager) removeOrphan(ctx context.Context, c runtime.Container) error {
	if id := c.Labels[LabelMachine]; id != "" {
		if !m.leases.try(id) {
			return nil
		}
		defer m.letGo(ctx, id)
		if mc, err := m.store.Machine("", id); err == nil && ownedBy(c.ID, []state.Machine{mc}) {
			return nil
		}
	}
	m.log.Info("removing an orphaned container", "container", c.Name, "machine", c.Labels[LabelMachine])
	return m.removeContainer(ctx, c.ID)
}

func (m *Manager) reconcileMachine(ctx context.Context, id string, afterCrash bool) error {
	if !m.leases.try(id) {
		return nil
	}
	defer m.letGo(ctx, id)
	mc, err := m.store.Machine("", id)
	if err != nil {
		return ignoreNotFound(err)
	}
	if afterCrash {
		if mc, err = m.recoverFromCrash(ctx, mc); err != nil || mc.ID == "" {
			return err
		}
	}
	if mc.ContainerID == "" {
		return nil
	}
	if mc, err = m.sync(ctx, id); err != nil {
		return err
	}
	_, err = m.checkSandbox(ctx, mc)
	return err
}

// recoverFromCrash rolls back an interrupted replacement (c) and forgets a machine
// whose creation was interrupted (b), returning the zero Machine for that.
func (m *Manager) recoverFromCrash(ctx context.Context, mc state.Machine) (state.Machine, error) {
	if mc.Pending != nil {
		m.log.Info("rolling back an interrupted replacement", "machine", mc.ID, "version", mc.Pending.Version)
		if err := m.rollBack(ctx, mc, nil); err != nil {
			return mc, err
		}
		mc.Pending = nil
	}
	if mc.ContainerID != "" || mc.CreatedAt.After(m.started) {
		return mc, nil
	}
	m.log.Info("forgetting a machine whose creation was interrupted", "machine", mc.ID)
	return state.Machine{}, ignoreNotFound(m.store.DestroyMachine(mc.ID, m.now()))
}

// abandonReleases fails the releases left pending by an earlier agent; a
// deploy this agent already began is not touched.
func (m *Manager) abandonReleases() error {
	apps, err := m.store.Apps("")
	if err != nil {
		return fmt.Errorf("reading apps: %w", err)
	}
	var errs []error
	for _, a := range apps {
		rs, err := m.store.Releases(a.Name)
		errs = append(errs, err)
		for _, r := range rs {
			if r.Status == state.ReleasePending && !r.CreatedAt.After(m.started) {
				m.log.Info("failing a release an earlier agent left pending", "app", a.Name, "version", r.Version)
				errs = append(errs, m.store.FinishRelease(a.Name, r.Version, state.ReleaseFailed, interrupted))
			}
		}
	}
	return errors.Join(errs...)
}

func ignoreNotFound(err error) error {
	if errors.Is(err, state.ErrMachineNotFound) {
		return nil
	}
	return err
}
