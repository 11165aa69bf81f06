package state

import (
	"errors"
	"testing"

	"go.etcd.io/bbolt"
)

func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// TestChangesFollowCommits: each committed change closes the channel taken before it,
// a channel taken after it waits for the next one, and a failed write changes nothing.
func TestChangesFollowCommits(t *testing.T) {
	s := openTest(t)
	before := s.Changes()
	if closed(before) {
		t.Fatal("the feed moved with no change")
	}
	mustCreate(t, s, "web", true)
	if !closed(before) {
		t.Fatal("a committed change did not close the channel taken before it")
	}
	after := s.Changes()
	failed := s.db.Update(func(*bbolt.Tx) error { return errors.New("no") })
	if failed == nil || closed(after) {
		t.Fatal("a failed write moved the feed")
	}
	mustCreate(t, s, "db", true)
	if !closed(after) {
		t.Fatal("the next change did not close the channel")
	}
}
