package flycast

import (
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/hangarhq/hangar/pkg/state"
)

// fleetStore is what the fleet reads and writes of the state.
type fleetStore interface {
	Version() uint64
	Machines(app string) ([]state.Machine, error)
	UpdateMachine(id string, now time.Time, fn func(*state.Machine) error) (state.Machine, error)
}

var _ fleetStore = (*state.Store)(nil)

// machineReads is every read the proxy makes of an app's machines. The proxy asks once
// per queued request, per .flycast lookup (a pre-wake) and before each dial of a wake;
// callers at one version of the state share one read of the store (singleflight, from
// golang.org/x, collapses concurrent callers without a lock held across the read), and
// its result serves later callers until the state changes. A caller never gets a list
// older than the version it saw when it asked.
type machineReads struct {
	flight singleflight.Group

	// mu guards the lists read at version.
	mu      sync.Mutex
	version uint64
	lists   map[string][]state.Machine
}

func (r *machineReads) of(store fleetStore, app string) ([]state.Machine, error) {
	v := store.Version()
	if ms, ok := r.cached(v, app); ok {
		return ms, nil
	}
	res, err, _ := r.flight.Do(app+"@"+strconv.FormatUint(v, 10), func() (any, error) {
		ms, err := store.Machines(app)
		if err == nil {
			r.keep(v, app, ms)
		}
		return ms, err
	})
	ms, _ := res.([]state.Machine)
	return ms, err
}

func (r *machineReads) cached(v uint64, app string) ([]state.Machine, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ms, ok := r.lists[app]
	return ms, ok && v == r.version
}

// keep stores a list read at version v (or later); a newer version drops every list of
// older ones, so the cache holds only apps asked about since the last change.
func (r *machineReads) keep(v uint64, app string, ms []state.Machine) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case v < r.version:
		return
	case v > r.version || r.lists == nil:
		r.version, r.lists = v, map[string][]state.Machine{}
	}
	r.lists[app] = ms
}
