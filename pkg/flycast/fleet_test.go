package flycast

import (
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/proxy"
	"github.com/hangarhq/hangar/pkg/state"
)

// countingStore is a fleetStore that counts its reads of machines; block, when set, holds
// every read until it is closed.
type countingStore struct {
	version atomic.Uint64
	reads   atomic.Int64
	block   chan struct{}
	mu      sync.Mutex
	ms      []state.Machine
}

var _ fleetStore = (*countingStore)(nil)

func (c *countingStore) Version() uint64 { return c.version.Load() }

func (c *countingStore) Machines(app string) ([]state.Machine, error) {
	c.reads.Add(1)
	if c.block != nil {
		<-c.block
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]state.Machine(nil), c.ms...), nil
}

func (c *countingStore) UpdateMachine(string, time.Time, func(*state.Machine) error) (state.Machine, error) {
	return state.Machine{}, nil
}

// set changes the machines as a committed write would: a new version.
func (c *countingStore) set(ms ...state.Machine) {
	c.mu.Lock()
	c.ms = ms
	c.mu.Unlock()
	c.version.Add(1)
}

func testFleet(store fleetStore) *fleet {
	ix := &Index{}
	ix.snap.Store(&snapshot{apps: map[string]appEntry{"a": {groups: []string{state.DefaultGroup}}}})
	return &fleet{store: store, ix: ix, now: time.Now}
}

func stoppedMachine(id string) state.Machine {
	return state.Machine{ID: id, App: "a", Group: state.DefaultGroup, State: state.MachineStopped, PrivateIP: netip.MustParseAddr("fdaa::1:2")}
}

// TestListReadsTheStoreOncePerChange: the proxy's List and Failure, asked again and
// again (a queue, DNS lookups, a wake's dials), read the store once until it changes, and
// then see the change.
func TestListReadsTheStoreOncePerChange(t *testing.T) {
	store := &countingStore{}
	store.set(stoppedMachine("m1"))
	f := testFleet(store)
	for range 100 {
		if ms, err := f.List("a"); err != nil || len(ms) != 1 || ms[0].State != proxy.StateStopped {
			t.Fatalf("List = %v", ms)
		}
		if why := f.Failure("a", "m1"); why != "" {
			t.Fatalf("Failure = %q", why)
		}
	}
	if n := store.reads.Load(); n != 1 {
		t.Errorf("200 reads at one version read the store %d times, want 1", n)
	}
	failed := stoppedMachine("m1")
	failed.State, failed.LastError = state.MachineFailed, "boom"
	store.set(failed)
	if ms, err := f.List("a"); err != nil || len(ms) != 1 || ms[0].State != proxy.StateFailed {
		t.Errorf("after a change List = %v, want the failed machine", ms)
	}
	if why := f.Failure("a", "m1"); why != "exited with code 0: boom" {
		t.Errorf("after a change Failure = %q", why)
	}
	if n := store.reads.Load(); n != 2 {
		t.Errorf("the store was read %d times, want 2 (once per version)", n)
	}
}

// TestConcurrentListsShareOneRead: callers that ask while a read is in flight wait for it
// instead of reading again.
func TestConcurrentListsShareOneRead(t *testing.T) {
	store := &countingStore{block: make(chan struct{})}
	store.set(stoppedMachine("m1"))
	f := testFleet(store)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if ms, err := f.List("a"); err != nil || len(ms) != 1 {
				t.Errorf("List = %v", ms)
			}
		})
	}
	for store.reads.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	// Callers that come while the read is held join it; any that come after it find its
	// result kept for this version. Either way the store is read once.
	time.Sleep(20 * time.Millisecond)
	close(store.block)
	wg.Wait()
	if n := store.reads.Load(); n != 1 {
		t.Errorf("50 concurrent Lists read the store %d times, want 1", n)
	}
}
