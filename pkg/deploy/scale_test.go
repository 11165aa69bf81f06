package deploy_test

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hangarhq/hangar/pkg/deploy"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/state"
)

func (f *fixture) scaling() *deploy.Scaling {
	f.t.Helper()
	sc, err := deploy.NewScaling(f.mgr, f.eng, f.store, "web")
	if err != nil {
		f.t.Fatal(err)
	}
	return sc
}

// scaleTo asks for absolute counts in the default regions, with no cap per region.
func scaleTo(counts map[string]int) deploy.ScaleRequest {
	req := deploy.ScaleRequest{Counts: map[string]deploy.Count{}, MaxPerRegion: -1}
	for g, n := range counts {
		req.Counts[g] = deploy.Count{N: n}
	}
	return req
}

func TestScaleNeedsACompleteRelease(t *testing.T) {
	f := newFixture(t)
	if _, err := deploy.NewScaling(f.mgr, f.eng, f.store, "web"); !errors.Is(err, deploy.ErrNoRelease) {
		t.Errorf("scaling an app never deployed: %v, want ErrNoRelease", err)
	}
}

func TestScalePlan(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, helloToml, "hello:v1"))
	ms := f.machines()
	if _, err := f.mgr.Stop(bg, "web", ms[0].ID, "", time.Second); err != nil {
		t.Fatal(err)
	}
	by := func(n int) map[string]deploy.Count { return map[string]deploy.Count{"": {N: n, Relative: true}} }
	step := func(region string, delta int, destroy ...state.Machine) deploy.ScaleStep {
		return deploy.ScaleStep{Group: "app", Region: region, Size: "shared-cpu-1x", Delta: delta, Destroy: destroy}
	}
	tests := []struct {
		name    string
		req     deploy.ScaleRequest
		want    []deploy.ScaleStep
		wantErr string
	}{
		{"up", scaleTo(map[string]int{"": 4}), []deploy.ScaleStep{step("ams", 2)}, ""},
		{"named group", scaleTo(map[string]int{"app": 3}), []deploy.ScaleStep{step("ams", 1)}, ""},
		{"no change", scaleTo(map[string]int{"app": 2}), nil, ""},
		{"down removes the stopped machine first", scaleTo(map[string]int{"": 1}), []deploy.ScaleStep{step("ams", -1, ms[0])}, ""},
		{"plus one", deploy.ScaleRequest{Counts: by(1), MaxPerRegion: -1}, []deploy.ScaleStep{step("ams", 1)}, ""},
		{"minus one", deploy.ScaleRequest{Counts: by(-1), MaxPerRegion: -1}, []deploy.ScaleStep{step("ams", -1, ms[0])}, ""},
		{"minus all", deploy.ScaleRequest{Counts: by(-2), MaxPerRegion: -1}, []deploy.ScaleStep{step("ams", -2, ms[0], ms[1])}, ""},
		{"below zero", deploy.ScaleRequest{Counts: by(-3), MaxPerRegion: -1}, nil,
			"invalid count: group app has 2 machines, so -3 would leave fewer than 0: scale it to 0 (app=0) to destroy them all"},
		{"two regions share the new machines", deploy.ScaleRequest{Counts: by(2), Regions: []string{"ams", "ord"}, MaxPerRegion: -1},
			[]deploy.ScaleStep{step("ams", 1), step("ord", 1)}, ""},
		{"another region only", deploy.ScaleRequest{Counts: scaleTo(map[string]int{"": 1}).Counts, Regions: []string{"ord"}, MaxPerRegion: -1},
			[]deploy.ScaleStep{step("ord", 1)}, ""},
		{"max per region moves machines", deploy.ScaleRequest{Counts: scaleTo(map[string]int{"": 2}).Counts, Regions: []string{"ams", "ord"}, MaxPerRegion: 1},
			[]deploy.ScaleStep{step("ams", -1, ms[0]), step("ord", 1)}, ""},
		{"max per region caps a relative count", deploy.ScaleRequest{Counts: by(1), Regions: []string{"ams", "ord", "ams"}, MaxPerRegion: 2},
			[]deploy.ScaleStep{step("ord", 1)}, ""},
		{"max per region too low", deploy.ScaleRequest{Counts: by(1), MaxPerRegion: 2}, nil,
			"the number of regions by the maximum machines per region is fewer than the expected total: 3 machines of group app do not fit in 1 region at --max-per-region 2: raise it or name more regions with -r"},
		{"unknown group", scaleTo(map[string]int{"worker": 1}), nil, `unknown process group "worker": the deployed fly.toml has [app]`},
		{"negative", scaleTo(map[string]int{"app": -1}), nil, "invalid count: app=-1: a count is 0 or more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.scaling().Plan(tt.req)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ids := func(steps []deploy.ScaleStep) [][]string {
				var out [][]string
				for _, s := range steps {
					var l []string
					for _, m := range s.Destroy {
						l = append(l, m.ID)
					}
					out = append(out, l)
				}
				return out
			}
			strip := func(steps []deploy.ScaleStep) []deploy.ScaleStep {
				for i := range steps {
					steps[i].Destroy = nil
				}
				return steps
			}
			if diff := cmp.Diff(ids(tt.want), ids(got)); diff != "" {
				t.Errorf("machines destroyed (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(strip(tt.want), strip(got)); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScaleApplyCreatesFromTheRelease(t *testing.T) {
	f := newFixture(t)
	rel := f.mustDeploy(request(t, helloToml, "hello:v1"))
	sc := f.scaling()
	steps, err := sc.Plan(scaleTo(map[string]int{"": 3}))
	if err != nil {
		t.Fatal(err)
	}
	var created []state.Machine
	err = sc.Apply(bg, steps, func(ev deploy.Event) {
		if m, err := f.store.Machine("web", ev.MachineID); err == nil && ev.Kind == deploy.KindMachine {
			created = append(created, m)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	ms := f.machines()
	if len(created) != 1 || len(ms) != 3 {
		t.Fatalf("created %d, now %d machines; want 1 and 3", len(created), len(ms))
	}
	m := created[0]
	if m.Version != rel.Version || m.Image != "hello:v1" || m.Config.InternalPort != 8080 || m.State != state.MachineStarted || m.Region != "ams" {
		t.Errorf("new machine = %+v", m)
	}
	steps, _ = sc.Plan(scaleTo(map[string]int{"": 0}))
	var lines []string
	if err := sc.Apply(bg, steps, func(ev deploy.Event) { lines = append(lines, ev.Text) }); err != nil {
		t.Fatal(err)
	}
	if ms := f.machines(); len(ms) != 0 {
		t.Errorf("scale to 0 left %d machines", len(ms))
	}
	if want := "Destroyed " + m.ID + " group:app region:ams size:shared-cpu-1x"; !slices.Contains(lines, want) || len(lines) != 3 {
		t.Errorf("scale to 0 said %q, want 3 lines with %q", lines, want)
	}
}

func TestScaleMemoryReplacesEveryMachine(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, helloToml, "hello:v1"))
	before := f.machines()
	var done []string
	if err := f.scaling().Memory(bg, 512, func(m state.Machine) { done = append(done, m.ID) }); err != nil {
		t.Fatal(err)
	}
	for _, m := range f.machines() {
		if m.Config.MemoryMB != 512 || m.State != state.MachineStarted {
			t.Errorf("machine after scale memory = %+v", m)
		}
	}
	if len(done) != len(before) {
		t.Errorf("resized %d of %d machines", len(done), len(before))
	}
}

const releaseToml = helloToml + `
[deploy]
  release_command = "migrate --now"
`

// TestFailingReleaseCommandKeepsTheRelease: the temporary machine exits 1, so the deploy
// fails with its last lines, the running machines are not touched, and the temporary
// machine is gone with its sandbox.
func TestFailingReleaseCommandKeepsTheRelease(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, helloToml, "hello:v1"))
	before := f.machines()
	f.eng.Hook = func(op, target string) error {
		if op != "Logs" {
			return nil
		}
		if c, err := f.eng.InspectContainer(bg, target); err == nil && c.Labels[machine.LabelGroup] == deploy.ReleaseCommandGroup {
			f.eng.SetLogs(target, "migrating\nboom\n")
			f.eng.Exit(target, 1)
		}
		return nil
	}
	_, err := f.deploy(request(t, releaseToml, "hello:v2"))
	if err == nil || !strings.Contains(err.Error(), "release_command failed: exit code 1; its last lines:\nmigrating\nboom") {
		t.Fatalf("deploy error = %v", err)
	}
	if diff := cmp.Diff(before, f.machines(), cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("machines changed (-before +after):\n%s", diff)
	}
	if got := f.events.lines("info"); !strings.Contains(strings.Join(got, "\n"), "  migrating") {
		t.Errorf("the command's output was not streamed: %q", got)
	}
	cs, _ := f.eng.ListContainers(bg, map[string]string{machine.LabelGroup: deploy.ReleaseCommandGroup})
	if len(cs) != 0 {
		t.Errorf("%d release_command containers left", len(cs))
	}
}

func TestReleaseCommandRunsBeforeTheRollout(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, helloToml, "hello:v1"))
	var sawCmd []string
	f.eng.Hook = func(op, target string) error {
		if op == "Logs" {
			if c, err := f.eng.InspectContainer(bg, target); err == nil && c.Labels[machine.LabelGroup] == deploy.ReleaseCommandGroup {
				sawCmd = []string{c.Image}
				f.eng.Exit(target, 0)
			}
		}
		return nil
	}
	rel := f.mustDeploy(request(t, releaseToml, "hello:v2"))
	if rel.Status != state.ReleaseComplete || len(sawCmd) != 1 || sawCmd[0] != "hello:v2" {
		t.Errorf("release %+v, release_command ran in %v", rel, sawCmd)
	}
	for _, m := range f.machines() {
		if m.Version != 2 || m.Group != "app" {
			t.Errorf("machine after deploy = %+v", m)
		}
	}
}
