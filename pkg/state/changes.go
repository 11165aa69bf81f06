package state

import (
	"sync"

	"go.etcd.io/bbolt"
)

// feedDB is the state's bbolt database; every committed Update moves the change feed on,
// so whoever follows the state learns of each change in commit order, without polling.
type feedDB struct {
	*bbolt.DB
	feed *feed
}

func (d feedDB) Update(fn func(*bbolt.Tx) error) error {
	err := d.DB.Update(fn)
	if err == nil {
		d.feed.next()
	}
	return err
}

// feed is a channel closed at each change and replaced by a new one.
type feed struct {
	mu sync.Mutex
	ch chan struct{} // guarded by mu
}

func newFeed() *feed { return &feed{ch: make(chan struct{})} }

func (f *feed) next() {
	f.mu.Lock()
	defer f.mu.Unlock()
	close(f.ch)
	f.ch = make(chan struct{})
}

func (f *feed) wait() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ch
}

// Changes returns a channel closed at the next committed change of the state: the one
// ordered source of changes for whoever follows it (the Flycast plane). Take the channel
// before reading the state, so that a change between the read and the wait is not missed.
func (s *Store) Changes() <-chan struct{} { return s.db.feed.wait() }
