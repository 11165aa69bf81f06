package flycast

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/proxy"
	"github.com/hangarhq/hangar/pkg/state"
)

// fleet is the proxy's view of the machine manager: the machines that serve an app's
// services (not shell machines), and starting and stopping them.
type fleet struct {
	store fleetStore
	mgr   *machine.Manager
	ix    *Index
	now   func() time.Time
	reads machineReads
}

var _ proxy.Machines = (*fleet)(nil)

var proxyStates = map[string]proxy.MachineState{
	state.MachineStarted: proxy.StateStarted, state.MachineStarting: proxy.StateStarting,
	state.MachineStopping: proxy.StateStopping, state.MachineStopped: proxy.StateStopped,
	state.MachineCreated: proxy.StateStopped, state.MachineSuspended: proxy.StateSuspended,
	state.MachineFailed: proxy.StateFailed,
}

// List reads the state as it is now (the proxy asks while it waits for a machine to come
// up), through the reads every caller shares.
func (f *fleet) List(app string) ([]proxy.Machine, error) {
	ms, err := f.reads.of(f.store, app)
	if err != nil {
		return nil, err
	}
	var out []proxy.Machine
	for _, m := range ms {
		st, ok := proxyStates[m.State]
		if !ok || !f.ix.serves(app, m.Group) || !m.PrivateIP.IsValid() {
			continue
		}
		if m.Tier() == state.TierCold {
			st = proxy.StateCold
		}
		out = append(out, proxy.Machine{ID: m.ID, State: st, Addr: m.PrivateIP})
	}
	return out, nil
}

// Start starts or resumes a machine and records the wake for hangar status.
func (f *fleet) Start(ctx context.Context, app, id string) error {
	if _, err := f.mgr.Start(ctx, app, id); err != nil {
		return err
	}
	_, err := f.store.UpdateMachine(id, f.now(), func(m *state.Machine) error { m.LastWake = f.now(); return nil })
	return err
}

// Stop stops a machine with its kill_signal and kill_timeout, or pauses it.
func (f *fleet) Stop(ctx context.Context, app, id string, suspend bool) error {
	var err error
	if suspend {
		_, err = f.mgr.Suspend(ctx, app, id)
	} else {
		_, err = f.mgr.StopIdle(ctx, app, id, "", 0) // the proxy has nothing open to warn
	}
	return err
}

// Failure says why a machine did not come up, after "machine <id> ".
func (f *fleet) Failure(app, id string) string {
	m, err := f.machine(app, id)
	switch {
	case err != nil:
		return "is gone: " + err.Error()
	case m.State == state.MachineDestroyed:
		return "has no container any more (it was removed outside hangar): run hangar deploy"
	case m.State != state.MachineFailed:
		return ""
	case m.LastError != "":
		return fmt.Sprintf("exited with code %d: %s", m.ExitCode, m.LastError)
	}
	if line := f.lastLogLine(app, id); line != "" {
		return fmt.Sprintf("exited with code %d: %s", m.ExitCode, line)
	}
	return fmt.Sprintf("exited with code %d", m.ExitCode)
}

// machine is one machine of the app, from the shared reads: the wake asks before each dial.
func (f *fleet) machine(app, id string) (state.Machine, error) {
	ms, err := f.reads.of(f.store, app)
	if err != nil {
		return state.Machine{}, err
	}
	for _, m := range ms {
		if m.ID == id {
			return m, nil
		}
	}
	return state.Machine{}, fmt.Errorf("%w: %s", state.ErrMachineNotFound, id)
}

// lastLogLine is the machine's last line of output, within a second.
func (f *fleet) lastLogLine(app, id string) string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	rc, err := f.mgr.Logs(ctx, app, id, false, 1)
	if err != nil {
		return ""
	}
	defer rc.Close()
	data, _ := io.ReadAll(io.LimitReader(rc, 4096))
	return strings.TrimSpace(string(data))
}
