package hostnames

import (
	"fmt"

	"github.com/godbus/dbus/v5"
)

// ownerChanges matches the bus's announcements that systemd-resolved's name changed hands.
var ownerChanges = []dbus.MatchOption{
	dbus.WithMatchSender("org.freedesktop.DBus"),
	dbus.WithMatchInterface("org.freedesktop.DBus"),
	dbus.WithMatchMember("NameOwnerChanged"),
	dbus.WithMatchArg(0, resolveName),
}

// watch re-applies the link's settings whenever systemd-resolved comes back, because a restarted
// systemd-resolved forgets every setting made over D-Bus. It runs until Close.
func (r *Resolved) watch() {
	defer close(r.stopped)
	for {
		select {
		case <-r.stop:
			return
		case sig, ok := <-r.signals:
			if !ok {
				return // the connection closed
			}
			if err := r.reapply(sig); err != nil && r.report != nil {
				r.report(err) // outside the lock, so that report may call Publish
			}
		}
	}
}

// restarted reports whether sig says that systemd-resolved has a new owner: a new process, ready for calls.
func restarted(sig *dbus.Signal) bool {
	if sig.Name != "org.freedesktop.DBus.NameOwnerChanged" || len(sig.Body) != 3 {
		return false
	}
	name, _ := sig.Body[0].(string)
	owner, _ := sig.Body[2].(string)
	return name == resolveName && owner != ""
}

// reapply applies the published settings again when sig says systemd-resolved restarted.
func (r *Resolved) reapply(sig *dbus.Signal) error {
	if !restarted(sig) {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.domains == nil {
		return nil
	}
	if err := r.apply(r.domains); err != nil {
		return fmt.Errorf("re-applying names after systemd-resolved restarted: %w", err)
	}
	return nil
}
