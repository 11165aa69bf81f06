package deploy_test

import (
	"errors"
	"net/netip"
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
	tests := []struct {
		name    string
		counts  map[string]int
		want    []deploy.ScaleStep
		wantErr string
	}{
		{"up", map[string]int{"": 4}, []deploy.ScaleStep{{Group: "app", Region: "ams", Size: "shared-cpu-1x", Delta: 2}}, ""},
		{"named group", map[string]int{"app": 3}, []deploy.ScaleStep{{Group: "app", Region: "ams", Size: "shared-cpu-1x", Delta: 1}}, ""},
		{"no change", map[string]int{"app": 2}, nil, ""},
		{"down removes the stopped machine first", map[string]int{"": 1},
			[]deploy.ScaleStep{{Group: "app", Region: "ams", Size: "shared-cpu-1x", Delta: -1, Destroy: []state.Machine{ms[0]}}}, ""},
		{"unknown group", map[string]int{"worker": 1}, nil, `unknown process group "worker": the deployed fly.toml has [app]`},
		{"negative", map[string]int{"app": -1}, nil, "invalid count: app=-1: a count is 0 or more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.scaling().Plan(tt.counts, "")
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
	steps, err := sc.Plan(map[string]int{"": 3}, "")
	if err != nil {
		t.Fatal(err)
	}
	var created []state.Machine
	if err := sc.Apply(bg, steps, func(m state.Machine, c bool) { created = append(created, m) }); err != nil {
		t.Fatal(err)
	}
	ms := f.machines()
	if len(created) != 1 || len(ms) != 3 {
		t.Fatalf("created %d, now %d machines; want 1 and 3", len(created), len(ms))
	}
	m, _ := f.store.Machine("web", created[0].ID)
	if m.Version != rel.Version || m.Image != "hello:v1" || m.Config.InternalPort != 8080 || m.State != state.MachineStarted || m.Region != "ams" {
		t.Errorf("new machine = %+v", m)
	}
	steps, _ = sc.Plan(map[string]int{"": 0}, "")
	if err := sc.Apply(bg, steps, func(state.Machine, bool) {}); err != nil {
		t.Fatal(err)
	}
	if ms := f.machines(); len(ms) != 0 {
		t.Errorf("scale to 0 left %d machines", len(ms))
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
