package scale

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
)

type fakeClient struct {
	plan  func(api.ScaleRequest) (api.ScalePlan, error)
	scale func(api.ScaleRequest) (api.ScaleResult, error)
	show  func() ([]api.ScaleGroup, error)
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) PlanScale(_ context.Context, _ string, r api.ScaleRequest) (api.ScalePlan, error) {
	return f.plan(r)
}
func (f *fakeClient) Scale(_ context.Context, _ string, r api.ScaleRequest) (api.ScaleResult, error) {
	return f.scale(r)
}
func (f *fakeClient) ShowScale(context.Context, string) ([]api.ScaleGroup, error) { return f.show() }
func (f *fakeClient) ScaleMemory(context.Context, string, int) (api.ScaleResult, error) {
	return api.ScaleResult{}, nil
}

func TestCountArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    map[string]int
		wantErr string
	}{
		{"bare", []string{"3"}, map[string]int{"": 3}, ""},
		{"with group flag", []string{"2", "--process-group", "worker"}, map[string]int{"worker": 2}, ""},
		{"named", []string{"app=2", "worker=0"}, map[string]int{"app": 2, "worker": 0}, ""},
		{"negative", []string{"--", "-1"}, nil, `invalid count "-1": a group has 0 or more machines`},
		{"not a number", []string{"two"}, nil, `invalid count "two": use a whole number of machines, like 2 or app=2`},
		{"no group", []string{"=2"}, nil, "=2 names no group: use GROUP=N, like app=2"},
		{"both", []string{"app=2", "--process-group", "app"}, nil, "app=2 names its group: drop --process-group, or pass a bare count"},
		{"twice", []string{"app=2", "app=3"}, nil, "app=3: the group is given twice; give each group one count"},
		{"none", nil, nil, "requires at least 1 arg(s), only received 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, false)
			var got *CountOptions
			cmd := NewCmdCount(env.F, func(o *CountOptions) error { got = o; return nil })
			err := cmdtest.Run(cmd, append(tt.args, "-a", "web")...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.Counts); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunCount(t *testing.T) {
	plan := api.ScalePlan{Steps: []api.ScaleStep{{Group: "app", Region: "iad", Size: "shared-cpu-1x", Delta: 2}}}
	result := api.ScaleResult{Machines: []api.ScaledMachine{{ID: "m1", Group: "app", Region: "iad", Size: "shared-cpu-1x", Created: true},
		{ID: "m2", Group: "app", Region: "iad", Size: "shared-cpu-1x", Created: true}}}
	const planText = "App 'web' is going to be scaled according to this plan:\n  +2 machines for group 'app' on region 'iad' of size 'shared-cpu-1x'\n"
	const doneText = "  Created m1 group:app region:iad size:shared-cpu-1x\n  Created m2 group:app region:iad size:shared-cpu-1x\n"
	tests := []struct {
		name             string
		tty, yes, answer bool
		plan             api.ScalePlan
		wantOut, wantErr string
		wantScaled       bool
	}{
		{"yes", false, true, false, plan, planText + doneText, "", true},
		{"no terminal", false, false, false, plan, planText, "--yes flag must be specified when not running interactively", false},
		{"confirmed", true, false, true, plan, planText + doneText, "", true},
		{"declined", true, false, false, plan, planText, "", false},
		{"nothing to do", false, false, false, api.ScalePlan{}, "App already scaled to desired state. No need for changes\n", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, tt.tty)
			scaled := false
			c := &fakeClient{plan: func(api.ScaleRequest) (api.ScalePlan, error) { return tt.plan, nil },
				scale: func(api.ScaleRequest) (api.ScaleResult, error) { scaled = true; return result, nil }}
			p := &cmdtest.Prompter{T: t, Confirms: map[string]bool{"Scale app web?": tt.answer}}
			opts := &CountOptions{IO: env.F.IOStreams, Client: func() (Client, error) { return c, nil }, Prompter: p,
				AppName: "web", Counts: map[string]int{"": 3}, Yes: tt.yes}
			err := runCount(context.Background(), opts)
			if (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantOut, env.Out.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if scaled != tt.wantScaled {
				t.Errorf("scaled = %v, want %v", scaled, tt.wantScaled)
			}
		})
	}
}

func TestRunShow(t *testing.T) {
	env := cmdtest.New(t, t.TempDir(), nil, true)
	c := &fakeClient{show: func() ([]api.ScaleGroup, error) {
		return []api.ScaleGroup{{Name: "app", Count: 2, CPUKind: "shared", CPUs: 1, MemoryMB: 1024, Regions: map[string]int{"iad": 2}}}, nil
	}}
	opts := &ShowOptions{IO: env.F.IOStreams, Client: func() (Client, error) { return c, nil }, AppName: "web"}
	if err := runShow(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	want := "VM Resources for app: web\n\nGroups\nNAME COUNT KIND   CPUS MEMORY  REGIONS\napp  2     shared 1    1024 MB iad(2)\n"
	if diff := cmp.Diff(want, env.Out.String()); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
}

func TestMemoryArgs(t *testing.T) {
	env := cmdtest.New(t, t.TempDir(), nil, false)
	err := cmdtest.Run(NewCmdMemory(env.F, func(*MemoryOptions) error { return nil }), "lots", "-a", "web")
	if want := `invalid memory "lots": give megabytes as a whole number, like 512`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
