package deploy_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/deploy"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

const mountsToml = helloToml + `
[[mounts]]
  source = "data"
  destination = "/data"
`

func (f *fixture) volumes() []state.Volume {
	f.t.Helper()
	vs, err := f.store.Volumes("web")
	if err != nil {
		f.t.Fatal(err)
	}
	return vs
}

func TestFirstDeployCreatesAVolumeAndOneMachine(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, mountsToml, "hello:v1"))
	ms, vs := f.machines(), f.volumes()
	if len(ms) != 1 || len(vs) != 1 {
		t.Fatalf("got %d machines and %d volumes, want one of each (no HA pair with mounts)", len(ms), len(vs))
	}
	v, m := vs[0], ms[0]
	if v.Name != "data" || v.SizeGB != 1 || v.Region != "ams" || v.AttachedMachine != m.ID || v.SnapshotRetention != 5 {
		t.Errorf("volume = %+v", v)
	}
	want := []runtime.Mount{{Volume: machine.VolumeName(f.store.InstallationID(), v.ID), Target: "/data"}}
	if diff := cmp.Diff(want, f.eng.Mounts(m.ContainerID)); diff != "" {
		t.Errorf("app container mounts (-want +got):\n%s", diff)
	}
	if got := f.eng.Mounts(m.SandboxID); len(got) != 0 {
		t.Errorf("sandbox mounts %v; only the app container mounts the volume", got)
	}
	msg := "info: Creating a 1 GB volume named 'data' for process group 'app'. Use 'hangar vol extend' to increase its size"
	if !slices.Contains(f.events.lines("info"), msg) {
		t.Errorf("events %q lack %q", f.events.lines("info"), msg)
	}
}

func TestRedeployKeepsEachMachinesVolume(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, mountsToml, "hello:v1"))
	before, vol := f.machines()[0], f.volumes()[0]
	f.mustDeploy(request(t, strings.Replace(mountsToml, `"/data"`, `"/srv"`, 1), "hello:v2"))
	after := f.machines()
	if len(after) != 1 || after[0].ID != before.ID || after[0].Version != 2 {
		t.Fatalf("machines after redeploy = %+v", after)
	}
	if vs := f.volumes(); len(vs) != 1 || vs[0].ID != vol.ID || vs[0].AttachedMachine != before.ID {
		t.Errorf("volumes after redeploy = %+v, want %s still attached", vs, vol.ID)
	}
	want := []runtime.Mount{{Volume: machine.VolumeName(f.store.InstallationID(), vol.ID), Target: "/srv"}}
	if diff := cmp.Diff(want, f.eng.Mounts(after[0].ContainerID)); diff != "" {
		t.Errorf("replacement's mounts (-want +got):\n%s", diff)
	}
}

func TestNewMachineTakesAFreeVolumeOrFails(t *testing.T) {
	f := newFixture(t)
	free, err := f.mgr.CreateVolume(bg, state.Volume{App: "web", Name: "data", Region: "ams", SizeGB: 3})
	if err != nil {
		t.Fatal(err)
	}
	f.mustDeploy(request(t, mountsToml, "hello:v1"))
	if vs := f.volumes(); len(vs) != 1 || vs[0].AttachedMachine != f.machines()[0].ID {
		t.Fatalf("volumes = %+v, want %s taken, none created", vs, free.ID)
	}
	// A second group with the same source finds the only volume taken.
	text := mountsToml + "\n[processes]\n  app = \"serve\"\n  worker = \"work\"\n"
	text = strings.Replace(text, "internal_port = 8080", "internal_port = 8080\n  processes = [\"app\"]", 1)
	text = strings.Replace(text, `destination = "/data"`, `destination = "/data"`+"\n  processes = [\"app\", \"worker\"]", 1)
	_, err = f.deploy(request(t, text, "hello:v2"))
	want := "New machine in group 'worker' needs an unattached volume named 'data' in region 'ams'"
	if !errors.Is(err, deploy.ErrNoFreeVolume) || !strings.Contains(err.Error(), want) {
		t.Errorf("deploy = %v, want %q", err, want)
	}
	if vs := f.volumes(); len(vs) != 1 {
		t.Errorf("volumes after the failed deploy = %+v", vs)
	}
}

// scale gives new machines of a group that mounts a volume the unattached volumes of
// the name first, then new ones; with --with-new-volumes always new ones.
func TestScaleReusesFreeVolumesThenMakesNewOnes(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, mountsToml, "hello:v1"))
	free, err := f.mgr.CreateVolume(bg, state.Volume{App: "web", Name: "data", Region: "ams", SizeGB: 1})
	if err != nil {
		t.Fatal(err)
	}
	sc := f.scaling()
	steps, _ := sc.Plan(scaleTo(map[string]int{"": 3}))
	var lines []string
	if err := sc.Apply(bg, steps, func(ev deploy.Event) { lines = append(lines, ev.Text) }); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 3 || lines[1] != "Creating a 1 GB volume named 'data' for process group 'app'. Use 'hangar vol extend' to increase its size" ||
		!strings.HasPrefix(lines[0], "Created ") || !strings.Contains(lines[0], " volume:"+free.ID) || !strings.Contains(lines[2], " volume:vol_") {
		t.Errorf("scale to 3 said:\n%s", strings.Join(lines, "\n"))
	}
	vs := f.volumes()
	attached := 0
	for _, v := range vs {
		if v.AttachedMachine != "" {
			attached++
		}
		if v.ID == free.ID && v.AttachedMachine == "" {
			t.Errorf("the free volume %s was not reused", free.ID)
		}
	}
	if len(vs) != 3 || attached != 3 {
		t.Errorf("after scaling to 3: %d volumes, %d attached; want 3 and 3", len(vs), attached)
	}

	spare, _ := f.mgr.CreateVolume(bg, state.Volume{App: "web", Name: "data", Region: "ams", SizeGB: 1})
	sc = f.scaling()
	sc.WithNewVolumes = true
	steps, _ = sc.Plan(scaleTo(map[string]int{"": 4}))
	if err := sc.Apply(bg, steps, func(deploy.Event) {}); err != nil {
		t.Fatal(err)
	}
	for _, v := range f.volumes() {
		if v.ID == spare.ID && v.AttachedMachine != "" {
			t.Errorf("--with-new-volumes took the unattached volume %s", spare.ID)
		}
	}
	if vs := f.volumes(); len(vs) != 5 {
		t.Errorf("after scaling to 4 with new volumes: %d volumes, want 5", len(vs))
	}
}
