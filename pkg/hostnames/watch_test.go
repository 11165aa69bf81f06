package hostnames

import (
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

func TestRestarted(t *testing.T) {
	const noc = "org.freedesktop.DBus.NameOwnerChanged"
	tests := []struct {
		name string
		sig  *dbus.Signal
		want bool
	}{
		{"a new owner", &dbus.Signal{Name: noc, Body: []any{resolveName, "", ":1.7"}}, true},
		{"a handover", &dbus.Signal{Name: noc, Body: []any{resolveName, ":1.6", ":1.7"}}, true},
		{"gone", &dbus.Signal{Name: noc, Body: []any{resolveName, ":1.6", ""}}, false},
		{"another name", &dbus.Signal{Name: noc, Body: []any{"org.example", "", ":1.7"}}, false},
		{"another signal", &dbus.Signal{Name: "org.freedesktop.DBus.NameAcquired", Body: []any{resolveName}}, false},
		{"a malformed body", &dbus.Signal{Name: noc, Body: []any{resolveName, 1, 2}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := restarted(tt.sig); got != tt.want {
				t.Errorf("restarted() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestResolvedWatcherStopsWithTheConnection(t *testing.T) {
	addr := testBus(t)
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewResolved(conn, 7, hangarDNS, nil)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	select {
	case <-r.stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("the watcher outlived its connection")
	}
	r.Close() // must not hang; its error is that the connection is closed
}

func TestReapplyBeforePublishCallsNothing(t *testing.T) {
	addr := testBus(t)
	fake := startFake(t, addr)
	r := newResolved(t, addr, nil)
	sig := &dbus.Signal{Name: "org.freedesktop.DBus.NameOwnerChanged", Body: []any{resolveName, "", ":1.7"}}
	if err := r.reapply(sig); err != nil {
		t.Fatal(err)
	}
	if got := fake.Calls(); len(got) != 0 {
		t.Errorf("calls %v before anything was published", got)
	}
}
