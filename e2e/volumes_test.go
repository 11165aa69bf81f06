package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hangarhq/hangar/e2e/testimages"
)

var kvImage struct {
	once sync.Once
	tag  string
	err  error
}

// needKV builds the key-value test app once and removes it when the test ends.
func needKV(t *testing.T) string {
	eng := needEngine(t)
	kvImage.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		kvImage.tag = fmt.Sprintf("hangar-e2e-kv:%d", os.Getpid())
		kvImage.err = testimages.BuildKV(ctx, eng, kvImage.tag)
	})
	if kvImage.err != nil {
		t.Fatal(kvImage.err)
	}
	t.Cleanup(func() { eng.RemoveImage(context.Background(), kvImage.tag) })
	return kvImage.tag
}

type volumeJSON struct {
	ID                string  `json:"id"`
	Name              string  `json:"name"`
	SizeGB            int     `json:"size_gb"`
	AttachedMachineID *string `json:"attached_machine_id"`
}

func volumes(t *testing.T, e *env, dir string) []volumeJSON {
	t.Helper()
	var vs []volumeJSON
	out := e.must(dir, "volumes", "list", "--json").stdout
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("volumes list --json: %v\n%s", err, out)
	}
	return vs
}

// kv sends one request to the app through its Flycast address, which wakes a sleeping machine.
func kv(t *testing.T, addr, path string) string {
	t.Helper()
	c := http.Client{Timeout: 30 * time.Second}
	resp, err := c.Get("http://[" + addr + "]" + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s %s", path, resp.Status, body)
	}
	return strings.TrimSpace(string(body))
}

const dataMount = "[[mounts]]\n  source = 'data'\n  destination = '/data'\n"

// TestVolumesKeepData: a machine's volume keeps its files across an idle stop and wake, a
// rolling redeploy, and an agent killed with SIGKILL; a snapshot restored into a new volume
// holds them; an attached volume cannot be destroyed; apps destroy leaves no volume.
func TestVolumesKeepData(t *testing.T) {
	needRoot(t)
	image := needKV(t)
	eng := needEngine(t)
	e := newEnv(t)
	e.extraEnv = []string{"HANGAR_IDLE_TIMEOUT=2s"}
	name, dir := launchApp(t, e, image, dataMount)
	out := e.must(dir, "deploy", "--wait-timeout", "60s")
	if want := "Creating a 1 GB volume named 'data' for process group 'app'. Use 'hangar vol extend' to increase its size"; !strings.Contains(out.stdout+out.stderr, want) {
		t.Errorf("first deploy does not say %q:\n%s", want, out)
	}
	ms, vs := machines(t, e, dir), volumes(t, e, dir)
	if len(ms) != 1 || len(vs) != 1 || vs[0].AttachedMachineID == nil || *vs[0].AttachedMachineID != ms[0].ID {
		t.Fatalf("machines %+v, volumes %+v: want one machine with the one volume", ms, vs)
	}
	addr, vol := flycastAddr(t, e, dir), vs[0].ID
	kv(t, addr, "/set?k1=v1")

	waitFor(t, "the idle machine to stop", func() bool { return machineByID(t, e, dir, ms[0].ID).State == "stopped" })
	if got := kv(t, addr, "/get?k1"); got != "v1" {
		t.Errorf("after stop and wake: k1 = %q", got)
	}
	e.must(dir, "deploy", "--wait-timeout", "60s")
	if after := machines(t, e, dir); len(after) != 1 || after[0].ID != ms[0].ID || after[0].Version != 2 {
		t.Errorf("after redeploy: %+v", after)
	}
	if got := kv(t, addr, "/get?k1"); got != "v1" {
		t.Errorf("after a rolling redeploy: k1 = %q", got)
	}
	e.must(dir, "machine", "suspend", ms[0].ID)
	if got := kv(t, addr, "/get?k1"); got != "v1" {
		t.Errorf("after suspend and resume: k1 = %q", got)
	}
	checkAnotherMachinesDestroy(t, e, dir, ms[0].ID)
	if got := kv(t, addr, "/get?k1"); got != "v1" {
		t.Errorf("after another machine of the app was destroyed: k1 = %q", got)
	}
	killAgent(t, e)
	machines(t, e, dir) // a new agent adopts the machine
	if got := kv(t, addr, "/get?k1"); got != "v1" {
		t.Errorf("after kill -9 and adoption: k1 = %q", got)
	}
	checkSnapshotRestore(t, e, dir, vol)
	if r := e.run(dir, "volumes", "destroy", vol, "-y"); r.err == nil || !strings.Contains(r.stderr, "attached to machine "+ms[0].ID) {
		t.Errorf("destroying the attached volume: %s", r)
	}
	e.must(dir, "apps", "destroy", "-y", name)
	left, err := eng.ListVolumes(context.Background(), map[string]string{"hangar.app": name})
	if err != nil || len(left) != 0 {
		t.Errorf("volumes left after apps destroy: %+v, %v", left, err)
	}
}

// checkAnotherMachinesDestroy scales the app to two machines (the second gets a volume of
// its own) and destroys the second; the first keeps its volume.
func checkAnotherMachinesDestroy(t *testing.T, e *env, dir, keep string) {
	t.Helper()
	e.must(dir, "scale", "count", "2", "-y")
	ms := machines(t, e, dir)
	if len(ms) != 2 || len(volumes(t, e, dir)) != 2 {
		t.Fatalf("after scale count 2: %d machines, %d volumes; want 2 and 2", len(ms), len(volumes(t, e, dir)))
	}
	for _, m := range ms {
		if m.ID != keep {
			e.must(dir, "machine", "destroy", m.ID, "--force")
		}
	}
	for _, v := range volumes(t, e, dir) {
		if v.AttachedMachineID != nil && *v.AttachedMachineID != keep {
			t.Errorf("volume %s is still attached to the destroyed machine %s", v.ID, *v.AttachedMachineID)
		}
	}
}

// checkSnapshotRestore snapshots vol and restores it into a new volume, whose files it reads.
func checkSnapshotRestore(t *testing.T, e *env, dir, vol string) {
	t.Helper()
	var snap struct {
		ID   string `json:"id"`
		Size int64  `json:"size"`
	}
	json.Unmarshal([]byte(e.must(dir, "volumes", "snapshots", "create", vol, "--json").stdout), &snap)
	if snap.ID == "" || snap.Size == 0 {
		t.Fatalf("snapshot = %+v", snap)
	}
	if list := e.must(dir, "volumes", "snapshots", "list", vol).stdout; !strings.Contains(list, snap.ID) {
		t.Errorf("snapshots list lacks %s:\n%s", snap.ID, list)
	}
	var restored []volumeJSON
	json.Unmarshal([]byte(e.must(dir, "volumes", "create", "copy", "--snapshot-id", snap.ID, "-y", "--json").stdout), &restored)
	if len(restored) != 1 {
		t.Fatalf("restored volumes: %+v", restored)
	}
	mp := volumeDir(t, restored[0].ID)
	if data, err := os.ReadFile(filepath.Join(mp, "k1")); err != nil || string(data) != "v1" {
		t.Errorf("the restored volume holds %q, %v; want v1", data, err)
	}
	e.must(dir, "volumes", "destroy", restored[0].ID, "-y")
}

// volumeDir finds the engine's directory of a Hangar volume by its label.
func volumeDir(t *testing.T, id string) string {
	vs, err := images.engine.ListVolumes(context.Background(), map[string]string{"hangar.volume": id})
	if err != nil || len(vs) != 1 {
		t.Fatalf("engine volumes of %s: %+v, %v", id, vs, err)
	}
	return vs[0].Mountpoint
}
