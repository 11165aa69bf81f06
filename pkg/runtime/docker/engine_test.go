package docker_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
)

func TestInfo(t *testing.T) {
	h := newHarness(t)
	info, err := h.eng.Info(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("engine %s at %s, API %s (engine speaks %s to %s)",
		info.ServerVersion, info.Host, info.APIVersion, info.MinAPIVersion, info.MaxAPIVersion)
	if info.APIVersion == "" || minor(info.APIVersion) > minor(info.MaxAPIVersion) {
		t.Errorf("negotiated API %q, engine max %q", info.APIVersion, info.MaxAPIVersion)
	}
}

// minor returns the 41 of "1.41".
func minor(v string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(v, "1."))
	return n
}

func TestEnsureNetwork(t *testing.T) {
	h := newHarness(t)
	n := h.network()
	if n.ID == "" || n.Gateway != n.Subnet.Addr().Next() || n.Labels[runLabel] != runID {
		t.Fatalf("network = %+v, want an ID, gateway ::1 and our labels", n)
	}
	again, err := h.eng.EnsureNetwork(h.ctx, runtime.NetworkSpec{Name: n.Name, Subnet: n.Subnet, Labels: h.labels()})
	if err != nil || again.ID != n.ID {
		t.Errorf("ensuring again = %s, %v; want the same network %s", again.ID, err, n.ID)
	}
	other := runtime.NetworkSpec{Name: n.Name, Subnet: n.Subnet, Labels: map[string]string{runLabel: "someone-else"}}
	if _, err := h.eng.EnsureNetwork(h.ctx, other); !errors.Is(err, runtime.ErrNetworkMismatch) {
		t.Errorf("ensuring with other labels: got %v, want ErrNetworkMismatch", err)
	}
	overlap := runtime.NetworkSpec{Name: n.Name + "-overlap", Subnet: n.Subnet, Labels: h.labels()}
	_, err = h.eng.EnsureNetwork(h.ctx, overlap)
	if !errors.Is(err, runtime.ErrSubnetInUse) {
		h.eng.RemoveNetwork(h.ctx, overlap.Name)
		t.Errorf("creating an overlapping network: got %v, want ErrSubnetInUse", err)
	}
	t.Logf("overlap error: %v", err)
}

func TestRemoveNetworkMissing(t *testing.T) {
	h := newHarness(t)
	err := h.eng.RemoveNetwork(h.ctx, h.name)
	if !errors.Is(err, runtime.ErrNotFound) || !strings.Contains(err.Error(), h.name) {
		t.Errorf("removing a missing network: got %v, want ErrNotFound naming it", err)
	}
}

func TestContainerLifecycle(t *testing.T) {
	h := newHarness(t)
	net := h.network()
	addr := net.Subnet.Addr().Next().Next() // ::2
	events, errs := h.eng.Events(h.ctx, h.labels(), time.Time{})
	id := h.create(runtime.ContainerSpec{
		Name: h.name, Image: h.image("hello"), Network: net.Name, IPv6Address: addr,
		PublishPort: 80, StopSignal: "SIGINT", StopTimeout: 3 * time.Second, MemoryMB: 64, CPUs: 0.5,
		Env: map[string]string{"GREETING": "hi"}, Hostname: "hello-machine",
	})
	h.start(id)

	c := h.waitState(id, runtime.StateRunning)
	if c.IPv6Address != addr || c.Network != net.Name || c.HostPort == 0 || c.StartedAt.IsZero() {
		t.Fatalf("inspect = %+v; want %s on %s and a loopback port", c, addr, net.Name)
	}
	page := getJSON(t, fmt.Sprintf("http://127.0.0.1:%d/?via=loopback", c.HostPort))
	if page["server_name"] != "hello-machine" || page["uri"] != "/?via=loopback" {
		t.Errorf("page through the loopback port = %v", page)
	}
	direct := getJSON(t, "http://"+netip.AddrPortFrom(addr, 80).String()+"/")
	if direct["server_address"] != netip.AddrPortFrom(addr, 80).String() {
		t.Errorf("page from the container's address = %v", direct)
	}

	h.pauseUnpause(id)
	if err := h.eng.StopContainer(h.ctx, id, "", 0); err != nil {
		t.Fatalf("stopping: %v", err)
	}
	if c := h.waitState(id, runtime.StateExited); c.ExitCode != 0 || c.FinishedAt.IsZero() {
		t.Errorf("after stop: exit code %d, finished %v; want a clean exit (SIGINT handled)", c.ExitCode, c.FinishedAt)
	}
	want := []runtime.Action{runtime.ActionStart, runtime.ActionPause, runtime.ActionUnpause, runtime.ActionDie, runtime.ActionStop}
	got := collectEvents(t, events, errs, id, len(want))
	if !slices.Equal(actions(got), want) || got[3].ExitCode != 0 || got[0].Labels[runLabel] != runID {
		t.Errorf("events = %+v, want %v with our labels", got, want)
	}
	if logs := h.logs(id, runtime.LogOptions{Tail: 1}); logs != "hello: shutting down\n" {
		t.Errorf("last log line = %q", logs)
	}
}

func (h *harness) pauseUnpause(id string) {
	h.t.Helper()
	if err := h.eng.PauseContainer(h.ctx, id); err != nil {
		h.t.Fatalf("pausing: %v", err)
	}
	h.waitState(id, runtime.StatePaused)
	if err := h.eng.UnpauseContainer(h.ctx, id); err != nil {
		h.t.Fatalf("unpausing: %v", err)
	}
	h.waitState(id, runtime.StateRunning)
}

func TestContainerCrash(t *testing.T) {
	h := newHarness(t)
	before := time.Now()
	events, errs := h.eng.Events(h.ctx, h.labels(), time.Time{})
	id := h.create(runtime.ContainerSpec{Image: h.image("hello"), Env: map[string]string{"CRASH": "3"}})
	h.start(id)
	got := collectEvents(t, events, errs, id, 2)
	if !slices.Equal(actions(got), []runtime.Action{runtime.ActionStart, runtime.ActionDie}) || got[1].ExitCode != 3 {
		t.Errorf("events = %+v, want start then die with exit code 3", got)
	}
	if c := h.waitState(id, runtime.StateExited); c.ExitCode != 3 {
		t.Errorf("exit code = %d, want 3", c.ExitCode)
	}
	replay, errs := h.eng.Events(h.ctx, h.labels(), before)
	if got := collectEvents(t, replay, errs, id, 2); got[1].Action != runtime.ActionDie || got[1].ExitCode != 3 {
		t.Errorf("events replayed since %v = %+v, want start and die", before, got)
	}
	list, err := h.eng.ListContainers(h.ctx, h.labels())
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].State != runtime.StateExited || list[0].ExitCode != 3 {
		t.Errorf("listing by label = %+v, %v; want just the exited container", list, err)
	}
}

// collectEvents reads events for id until n have arrived.
func collectEvents(t *testing.T, events <-chan runtime.Event, errs <-chan error, id string, n int) []runtime.Event {
	t.Helper()
	var got []runtime.Event
	timeout := time.After(30 * time.Second)
	for len(got) < n {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("event stream ended after %v: %v", got, <-errs)
			}
			if ev.ContainerID == id {
				got = append(got, ev)
			}
		case <-timeout:
			t.Fatalf("got events %+v, want %d", got, n)
		}
	}
	return got
}

func actions(evs []runtime.Event) []runtime.Action {
	var out []runtime.Action
	for _, ev := range evs {
		out = append(out, ev.Action)
	}
	return out
}

func (h *harness) logs(id string, opts runtime.LogOptions) string {
	h.t.Helper()
	rc, err := h.eng.Logs(h.ctx, id, opts)
	if err != nil {
		h.t.Fatalf("reading logs: %v", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		h.t.Fatalf("reading logs: %v", err)
	}
	return string(b)
}

// getJSON fetches url, retrying until the server answers.
func getJSON(t *testing.T, url string) map[string]any {
	t.Helper()
	var page map[string]any
	// No keep-alive: an open connection would delay the server's graceful stop.
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	waitFor(t, "an answer from "+url, func() bool {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		return json.NewDecoder(resp.Body).Decode(&page) == nil
	})
	return page
}

func TestMissingImage(t *testing.T) {
	h := newHarness(t)
	ref := "hangar-test-missing:" + runID
	if ok, err := h.eng.ImageExists(h.ctx, ref); ok || err != nil {
		t.Errorf("ImageExists(%s) = %v, %v; want false, nil", ref, ok, err)
	}
	_, err := h.eng.CreateContainer(h.ctx, runtime.ContainerSpec{Image: ref, Labels: h.labels()})
	if !errors.Is(err, runtime.ErrImageNotFound) || !strings.Contains(err.Error(), ref+" is not available locally") {
		t.Errorf("creating from a missing image: got %v, want ErrImageNotFound naming it", err)
	}
}

func TestPullNonexistent(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithTimeout(h.ctx, 60*time.Second)
	defer cancel()
	ref := "hangarhq/does-not-exist-" + runID
	var progress []runtime.Progress
	err := h.eng.PullImage(ctx, ref, func(p runtime.Progress) { progress = append(progress, p) })
	if err == nil || ctx.Err() != nil {
		t.Fatalf("pulling %s: got %v (context %v), want a prompt failure", ref, err, ctx.Err())
	}
	t.Logf("pull error: %v (after %d progress messages)", err, len(progress))
	if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), ref) {
		t.Errorf("pull error %q: want one line naming the image", err)
	}
	if !errors.Is(err, runtime.ErrRegistryUnreachable) && !errors.Is(err, runtime.ErrImageUnavailable) {
		t.Errorf("pull error %v: want ErrRegistryUnreachable or ErrImageUnavailable", err)
	}
}

func TestNameConflict(t *testing.T) {
	h := newHarness(t)
	spec := runtime.ContainerSpec{Name: h.name, Image: h.image("hello")}
	h.create(spec)
	_, err := h.eng.CreateContainer(h.ctx, spec)
	if !errors.Is(err, runtime.ErrConflict) || !strings.Contains(err.Error(), `"`+h.name+`" is already in use`) {
		t.Errorf("creating a second %s: got %v, want ErrConflict naming it", h.name, err)
	}
}

func TestMissingContainer(t *testing.T) {
	h := newHarness(t)
	_, err := h.eng.InspectContainer(h.ctx, h.name)
	if !errors.Is(err, runtime.ErrNotFound) || err.Error() != "container "+h.name+" not found" {
		t.Errorf("inspecting a missing container: got %v", err)
	}
	if err := h.eng.RemoveContainer(h.ctx, h.name, true); !errors.Is(err, runtime.ErrNotFound) {
		t.Errorf("removing a missing container: got %v, want ErrNotFound", err)
	}
	if err := h.eng.StartContainer(h.ctx, h.name); !errors.Is(err, runtime.ErrNotFound) {
		t.Errorf("starting a missing container: got %v, want ErrNotFound", err)
	}
}

func TestOOM(t *testing.T) {
	h := newHarness(t)
	events, errs := h.eng.Events(h.ctx, h.labels(), time.Time{})
	// dd's 64 MiB buffer cannot fit in 16 MiB.
	id := h.create(runtime.ContainerSpec{Image: h.image("busybox"), MemoryMB: 16,
		Cmd: []string{"dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"}})
	h.start(id)
	got := actions(collectEvents(t, events, errs, id, 3))
	if got[0] != runtime.ActionStart || !slices.Contains(got, runtime.ActionOOM) || !slices.Contains(got, runtime.ActionDie) {
		t.Errorf("events = %v, want start, then oom and die", got)
	}
	if c := h.waitState(id, runtime.StateExited); !c.OOMKilled || c.ExitCode != 137 {
		t.Errorf("after OOM: killed %v, exit code %d; want true, 137", c.OOMKilled, c.ExitCode)
	}
}
