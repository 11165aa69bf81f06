package runtimetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/runtime"
)

var bg = context.Background()

// setup returns an engine with an image and a network.
func setup(t *testing.T) (*Engine, runtime.Network) {
	t.Helper()
	e := New()
	e.AddImage("hello")
	n, err := e.EnsureNetwork(bg, runtime.NetworkSpec{Name: "org", Subnet: netip.MustParsePrefix("fdaa:0:2a:a7b::/64"),
		Labels: map[string]string{"hangar.org": "a"}})
	if err != nil {
		t.Fatal(err)
	}
	return e, n
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestLifecycleEvents(t *testing.T) {
	e, n := setup(t)
	labels := map[string]string{"hangar.app": "web"}
	events, _ := e.Events(bg, labels, time.Time{})
	addr := netip.MustParseAddr("fdaa:0:2a:a7b::2")
	id, err := e.CreateContainer(bg, runtime.ContainerSpec{Name: "web-1", Image: "hello", Labels: labels,
		Network: n.Name, IPv6Address: addr, PublishPort: 80})
	must(t, err)
	must(t, e.StartContainer(bg, id))
	c, _ := e.InspectContainer(bg, "web-1")
	if c.State != runtime.StateRunning || c.HostPort == 0 || c.IPv6Address != addr || c.StartedAt.IsZero() {
		t.Errorf("running container = %+v", c)
	}
	must(t, e.PauseContainer(bg, id))
	must(t, e.UnpauseContainer(bg, id))
	must(t, e.StopContainer(bg, id, "SIGINT", time.Second))
	must(t, e.StopContainer(bg, id, "", 0)) // already stopped: no error, no events
	must(t, e.StartContainer(bg, id))
	must(t, e.Exit(id, 3))
	must(t, e.RemoveContainer(bg, id, false))

	want := []string{"start", "pause", "unpause", "die 0", "stop", "start", "die 3", "destroy"}
	if diff := cmp.Diff(want, drain(events)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// drain returns the buffered events as "action" or "die code".
func drain(events <-chan runtime.Event) []string {
	var got []string
	for {
		select {
		case ev := <-events:
			s := string(ev.Action)
			if ev.Action == runtime.ActionDie {
				s = fmt.Sprintf("die %d", ev.ExitCode)
			}
			got = append(got, s)
		default:
			return got
		}
	}
}

func TestErrors(t *testing.T) {
	e, n := setup(t)
	id, err := e.CreateContainer(bg, runtime.ContainerSpec{Name: "web-1", Image: "hello"})
	must(t, err)
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"missing image", second(e.CreateContainer(bg, runtime.ContainerSpec{Image: "nope"})), runtime.ErrImageNotFound},
		{"name taken", second(e.CreateContainer(bg, runtime.ContainerSpec{Name: "web-1", Image: "hello"})), runtime.ErrConflict},
		{"missing network", second(e.CreateContainer(bg, runtime.ContainerSpec{Image: "hello", Network: "x"})), runtime.ErrNotFound},
		{"address outside subnet", second(e.CreateContainer(bg, runtime.ContainerSpec{Image: "hello", Network: n.Name,
			IPv6Address: netip.MustParseAddr("fdaa::2")})), runtime.ErrInvalidSpec},
		{"pause created", e.PauseContainer(bg, id), runtime.ErrConflict},
		{"unpause created", e.UnpauseContainer(bg, id), runtime.ErrConflict},
		{"inspect missing", second(e.InspectContainer(bg, "nope")), runtime.ErrNotFound},
		{"remove missing", e.RemoveContainer(bg, "nope", true), runtime.ErrNotFound},
		{"pull unknown", e.PullImage(bg, "nope", nil), runtime.ErrImageUnavailable},
		{"overlapping network", second(e.EnsureNetwork(bg, runtime.NetworkSpec{Name: "other", Subnet: n.Subnet})), runtime.ErrSubnetInUse},
		{"network with other labels", second(e.EnsureNetwork(bg, runtime.NetworkSpec{Name: n.Name, Subnet: n.Subnet})), nil},
		{"network in use", e.RemoveNetwork(bg, n.Name), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.want) || (tt.err == nil) != (tt.want == nil) {
				t.Errorf("got %v, want %v", tt.err, tt.want)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

func TestAddressInUse(t *testing.T) {
	e, n := setup(t)
	spec := runtime.ContainerSpec{Image: "hello", Network: n.Name, IPv6Address: netip.MustParseAddr("fdaa:0:2a:a7b::2")}
	a, _ := e.CreateContainer(bg, spec)
	b, _ := e.CreateContainer(bg, spec) // Docker, too, only checks at start
	must(t, e.StartContainer(bg, a))
	if err := e.StartContainer(bg, b); !errors.Is(err, runtime.ErrAddressInUse) {
		t.Errorf("starting a second holder of the address: %v, want ErrAddressInUse", err)
	}
	must(t, e.StopContainer(bg, a, "", 0))
	must(t, e.StartContainer(bg, b))
}

func TestForceRemoveAndAutoRemove(t *testing.T) {
	e, _ := setup(t)
	events, _ := e.Events(bg, nil, time.Time{})
	a, _ := e.CreateContainer(bg, runtime.ContainerSpec{Image: "hello"})
	must(t, e.StartContainer(bg, a))
	if err := e.RemoveContainer(bg, a, false); !errors.Is(err, runtime.ErrConflict) {
		t.Errorf("removing a running container without force: %v, want ErrConflict", err)
	}
	must(t, e.RemoveContainer(bg, a, true))
	b, _ := e.CreateContainer(bg, runtime.ContainerSpec{Image: "hello", AutoRemove: true})
	must(t, e.StartContainer(bg, b))
	must(t, e.OOM(b))
	if _, err := e.InspectContainer(bg, b); !errors.Is(err, runtime.ErrNotFound) {
		t.Errorf("auto-removed container still there: %v", err)
	}
	want := []string{"start", "die 137", "destroy", "start", "oom", "die 137", "destroy"}
	if diff := cmp.Diff(want, drain(events)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestEventsSinceAndFilter(t *testing.T) {
	e, _ := setup(t)
	start := time.Unix(1000, 0)
	now := start
	e.Now = func() time.Time { now = now.Add(time.Second); return now }
	web, _ := e.CreateContainer(bg, runtime.ContainerSpec{Image: "hello", Labels: map[string]string{"app": "web"}})
	db, _ := e.CreateContainer(bg, runtime.ContainerSpec{Image: "hello", Labels: map[string]string{"app": "db"}})
	must(t, e.StartContainer(bg, web))
	must(t, e.StartContainer(bg, db))
	must(t, e.StopContainer(bg, web, "", 0))

	events, _ := e.Events(bg, map[string]string{"app": "web"}, start)
	if diff := cmp.Diff([]string{"start", "die 0", "stop"}, drain(events)); diff != "" {
		t.Errorf("replayed events for app=web (-want +got):\n%s", diff)
	}
}

func TestEventsEnd(t *testing.T) {
	e, _ := setup(t)
	ctx, cancel := context.WithCancel(bg)
	events, errs := e.Events(ctx, nil, time.Time{})
	cancel()
	for range events {
	}
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: %v", err)
	}

	events, errs = e.Events(bg, nil, time.Time{})
	e.CloseEvents(io.EOF)
	for range events {
	}
	if err := <-errs; err != io.EOF {
		t.Errorf("after CloseEvents: %v", err)
	}
}

func TestHookAndCalls(t *testing.T) {
	e, _ := setup(t)
	boom := errors.New("boom")
	e.Hook = func(op, target string) error {
		if op == "StartContainer" {
			return boom
		}
		return nil
	}
	id, _ := e.CreateContainer(bg, runtime.ContainerSpec{Name: "web-1", Image: "hello"})
	if err := e.StartContainer(bg, id); err != boom {
		t.Errorf("start with a failing hook: %v", err)
	}
	want := []string{"EnsureNetwork org", "CreateContainer web-1"}
	if got := e.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
}

func TestLogsAndTerminal(t *testing.T) {
	e, _ := setup(t)
	id, _ := e.CreateContainer(bg, runtime.ContainerSpec{Image: "hello", Tty: true, OpenStdin: true})
	must(t, e.SetLogs(id, "a\nb\nc\n"))
	rc, err := e.Logs(bg, id, runtime.LogOptions{Tail: 2})
	must(t, err)
	if b, _ := io.ReadAll(rc); string(b) != "b\nc\n" {
		t.Errorf("tail 2 = %q", b)
	}
	conn, err := e.Attach(bg, id)
	must(t, err)
	must(t, e.ResizeTTY(bg, id, 24, 80))
	if r, c := e.TTYSize(id); r != 24 || c != 80 {
		t.Errorf("tty size = %d×%d", r, c)
	}
	go conn.Write([]byte("ls\n"))
	buf := make([]byte, 3)
	if _, err := io.ReadFull(e.Terminal(id), buf); err != nil || string(buf) != "ls\n" {
		t.Errorf("container read %q, %v", buf, err)
	}
	conn.Close()
}
