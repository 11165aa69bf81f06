package deploy_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/deploy"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/state"
)

func TestFirstDeployCreatesTwoMachinesForHA(t *testing.T) {
	f := newFixture(t)
	rel := f.mustDeploy(request(t, helloToml, "hello:v1"))
	want := []string{
		"step: Using image hello:v1",
		"info: image: hello:v1",
		"info: No machines in group app, launching a new machine",
		"info: Creating a second machine for high availability and zero downtime deployments.",
		"info: Creating 2 machines…",
		"machine: Machine <id> (app) started, listening on [<6pn>]:8080",
		"machine: Machine <id> (app) started, listening on [<6pn>]:8080",
		"info: Finished launching new machines",
		"info: Finished deploying. Reach it from your private network at http://web.flycast",
	}
	if diff := cmp.Diff(want, f.events.lines()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if rel.Version != 1 || rel.Status != state.ReleaseComplete || rel.Image != "hello:v1" {
		t.Errorf("release = %+v", rel)
	}
	ms := f.machines()
	if len(ms) != 2 {
		t.Fatalf("%d machines", len(ms))
	}
	for _, m := range ms {
		if m.State != state.MachineStarted || m.Version != 1 || m.Region != "ams" || m.Config.InternalPort != 8080 {
			t.Errorf("machine = %+v", m)
		}
	}
	if app, _ := f.store.App("web"); app.Status != state.StatusDeployed {
		t.Errorf("app status %s", app.Status)
	}
}

func TestFirstDeployWithoutHA(t *testing.T) {
	f := newFixture(t)
	req := request(t, helloToml, "hello:v1")
	req.HA = false
	f.mustDeploy(req)
	if ms := f.machines(); len(ms) != 1 {
		t.Errorf("%d machines, want 1", len(ms))
	}
}

func TestMachineEventCarriesAddress(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy(request(t, helloToml, "hello:v1"))
	ms := f.machines()
	var got []string
	for _, ev := range f.events.all() {
		if ev.Kind == deploy.KindMachine {
			got = append(got, ev.MachineID+" "+ev.Addr)
		}
	}
	want := []string{ms[0].ID + " [" + ms[0].PrivateIP.String() + "]:8080", ms[1].ID + " [" + ms[1].PrivateIP.String() + "]:8080"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("machine events (-want +got):\n%s", diff)
	}
}

func TestProcessGroups(t *testing.T) {
	f := newFixture(t)
	text := helloToml + `
[processes]
  app = "/hello --port 8080"
  worker = "/hello --port 9000 'two words'"
`
	f.mustDeploy(request(t, text, "hello:v1"))
	count := map[string]int{}
	for _, m := range f.machines() {
		count[m.Group]++
		if m.Group == "worker" && (m.Config.InternalPort != 0 || !cmp.Equal(m.Config.Cmd, []string{"/hello", "--port", "9000", "two words"})) {
			t.Errorf("worker machine config = %+v", m.Config)
		}
	}
	if count["app"] != 2 || count["worker"] != 1 {
		t.Errorf("machines per group = %v", count)
	}
}

func TestFirstDeployFailureLeavesNothing(t *testing.T) {
	f := newFixture(t)
	f.net.Crash("hello:v1", 3, "listen tcp :8080: bind: permission denied\n")
	rel, err := f.deploy(request(t, helloToml, "hello:v1"))
	if !errors.Is(err, machine.ErrMachineExited) || !strings.Contains(err.Error(), "exited with code 3 before it listened on port 8080; its last log lines:\n  listen tcp :8080: bind: permission denied") {
		t.Fatalf("deploy = %v", err)
	}
	if rel.Status != state.ReleaseFailed || !strings.Contains(rel.Reason, "exited with code 3") {
		t.Errorf("release = %+v", rel)
	}
	if rs, _ := f.store.Releases("web"); rs[0].Status != state.ReleaseFailed || rs[0].Reason != rel.Reason {
		t.Errorf("stored release = %+v", rs[0])
	}
	if ms := f.machines(); len(ms) != 0 {
		t.Errorf("machines left: %+v", ms)
	}
	if list, _ := f.eng.ListContainers(bg, map[string]string{"hangar.app": "web"}); len(list) != 0 {
		t.Errorf("containers left: %+v", list)
	}
}

func TestImageResolution(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(f *fixture, req *deploy.Request)
		want   error
		events []string
	}{
		{"pulled", func(f *fixture, req *deploy.Request) {
			f.eng.AddRemoteImage("nginxdemos/hello")
			req.Image = "nginxdemos/hello"
		}, nil,
			[]string{"step: Using image nginxdemos/hello", "step: Pulling nginxdemos/hello", "pull: Pull complete", "info: image: nginxdemos/hello"}},
		{"not in the registry", func(f *fixture, req *deploy.Request) { req.Image = "nginxdemos/nope" }, runtime.ErrImageUnavailable,
			[]string{"step: Using image nginxdemos/nope", "step: Pulling nginxdemos/nope"}},
		{"nothing to deploy", func(f *fixture, req *deploy.Request) { req.Image, req.BuildDir = "", t.TempDir() }, deploy.ErrNoImage, nil},
		{"no image, no build directory", func(f *fixture, req *deploy.Request) { req.Image = "" }, deploy.ErrNoImage, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			req := request(t, helloToml, "")
			tt.setup(f, &req)
			_, err := f.deploy(req)
			if !errors.Is(err, tt.want) {
				t.Fatalf("deploy = %v, want %v", err, tt.want)
			}
			if diff := cmp.Diff(tt.events, f.events.lines("step", "pull", "info")[:len(tt.events)]); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if rs, _ := f.store.Releases("web"); tt.want != nil && len(rs) != 0 {
				t.Errorf("a release was recorded for an image that is not there: %+v", rs)
			}
		})
	}
}
