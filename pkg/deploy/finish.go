package deploy

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/state"
)

// complete marks the release complete, which marks the app deployed.
func (d *deployment) complete() (state.Release, error) {
	if err := d.store.FinishRelease(d.req.App, d.release.Version, state.ReleaseComplete, ""); err != nil {
		return d.release, fmt.Errorf("recording release v%d of %s as complete: %w", d.release.Version, d.req.App, err)
	}
	d.release.Status = state.ReleaseComplete
	d.info("%s", reachLine(d.req.App, d.req.Config, !d.req.Unrouted))
	return d.release, nil
}

// fail undoes the deploy and records why it failed. The undo runs to the
// end even when ctx is cancelled: leaving half a release running is worse.
func (d *deployment) fail(ctx context.Context, cause error) (state.Release, error) {
	ctx = context.WithoutCancel(ctx)
	errs := append([]error{cause}, d.undo(ctx)...)
	reason := cause.Error()
	if err := d.store.FinishRelease(d.req.App, d.release.Version, state.ReleaseFailed, reason); err != nil {
		errs = append(errs, fmt.Errorf("recording the release as failed: %w", err))
	}
	d.release.Status, d.release.Reason = state.ReleaseFailed, reason
	return d.release, fmt.Errorf("deploying %s v%d: %w", d.req.App, d.release.Version, errors.Join(errs...))
}

// undo destroys the machines this deploy created and puts the ones it
// replaced back on their previous version, newest first.
func (d *deployment) undo(ctx context.Context) []error {
	var errs []error
	for _, m := range d.created {
		d.warn("Destroying machine %s of the failed release", m.ID)
		if err := d.mgr.Destroy(ctx, d.req.App, m.ID, true); err != nil {
			errs = append(errs, fmt.Errorf("rolling back: %w", err))
		}
	}
	for _, m := range slices.Backward(d.replaced) {
		d.warn("Rolling machine %s [%s] back to v%d", m.ID, m.Group, m.Version)
		spec := machine.Spec{App: m.App, Group: m.Group, Region: m.Region, Image: m.Image, Version: m.Version, Config: m.Config}
		if _, err := d.mgr.Replace(ctx, d.req.App, m.ID, spec, d.req.WaitTimeout); err != nil {
			errs = append(errs, fmt.Errorf("rolling machine %s back to v%d: %w", m.ID, m.Version, err))
		}
	}
	return errs
}
