package scale

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
)

type fakeClient struct {
	plan  func(api.ScaleRequest) (api.ScalePlan, error)
	scale func(api.ScaleRequest, func(api.DeployEvent)) error
	show  func() ([]api.ScaleGroup, error)
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) PlanScale(_ context.Context, _ string, r api.ScaleRequest) (api.ScalePlan, error) {
	return f.plan(r)
}
func (f *fakeClient) Scale(_ context.Context, _ string, r api.ScaleRequest, progress func(api.DeployEvent)) error {
	return f.scale(r, progress)
}
func (f *fakeClient) ShowScale(context.Context, string) ([]api.ScaleGroup, error) { return f.show() }
func (f *fakeClient) ScaleMemory(context.Context, string, int) (api.ScaleResult, error) {
	return api.ScaleResult{}, nil
}

func TestCountArgs(t *testing.T) {
	type counts struct{ Counts, Relative map[string]int }
	none := map[string]int{}
	tests := []struct {
		name    string
		args    []string
		want    counts
		regions []string
		max     int
		wantErr string
	}{
		{"bare", []string{"3"}, counts{map[string]int{"": 3}, none}, nil, -1, ""},
		{"with group flag", []string{"2", "--process-group", "worker"}, counts{map[string]int{"worker": 2}, none}, nil, -1, ""},
		{"named", []string{"app=2", "worker=0"}, counts{map[string]int{"app": 2, "worker": 0}, none}, nil, -1, ""},
		{"plus", []string{"+2"}, counts{none, map[string]int{"": 2}}, nil, -1, ""},
		{"minus", []string{"-1"}, counts{none, map[string]int{"": -1}}, nil, -1, ""},
		{"minus after dashes", []string{"--", "-1"}, counts{none, map[string]int{"": -1}}, nil, -1, ""},
		{"minus before flags", []string{"-2", "-y", "--process-group", "worker"}, counts{none, map[string]int{"worker": -2}}, nil, -1, ""},
		{"named relative", []string{"app=+1", "worker=-1"}, counts{none, map[string]int{"app": 1, "worker": -1}}, nil, -1, ""},
		{"mixed", []string{"app=3", "worker=+1"}, counts{map[string]int{"app": 3}, map[string]int{"worker": 1}}, nil, -1, ""},
		{"regions and max", []string{"4", "-r", "iad, ord", "--max-per-region", "2"}, counts{map[string]int{"": 4}, none}, []string{"iad", "ord"}, 2, ""},
		{"max -1 is a flag value", []string{"4", "--max-per-region", "-1"}, counts{map[string]int{"": 4}, none}, nil, -1, ""},
		{"zero change", []string{"+0"}, counts{}, nil, 0, "invalid relative scale count: +0"},
		{"not a number", []string{"two"}, counts{}, nil, 0, `invalid count "two": use a whole number of machines, like 2, +1, -1 or app=2`},
		{"sign alone", []string{"app=-"}, counts{}, nil, 0, `invalid count "app=-": use a whole number of machines, like 2, +1, -1 or app=2`},
		{"no group", []string{"=2"}, counts{}, nil, 0, "=2 names no group: use GROUP=N, like app=2"},
		{"both", []string{"app=2", "--process-group", "app"}, counts{}, nil, 0, "app=2 names its group: drop --process-group, or pass a bare count"},
		{"twice", []string{"app=2", "app=3"}, counts{}, nil, 0, "app=3: the group is given twice; give each group one count"},
		{"twice relative", []string{"app=2", "app=+3"}, counts{}, nil, 0, "app=+3: the group is given twice; give each group one count"},
		{"unknown flag", []string{"-x"}, counts{}, nil, 0, "unknown shorthand flag: 'x' in -x"},
		{"none", nil, counts{}, nil, 0, "requires at least 1 arg(s), only received 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, false)
			var got *CountOptions
			cmd := NewCmdCount(env.F, func(o *CountOptions) error { got = o; return nil })
			err := cmdtest.Run(cmd, append([]string{"-a", "web"}, tt.args...)...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, counts{got.Counts, got.Relative}); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.regions, got.Regions); diff != "" || got.MaxPerRegion != tt.max || got.AppName != "web" {
				t.Errorf("regions (-want +got):\n%s; max-per-region %d, want %d; app %q", diff, got.MaxPerRegion, tt.max, got.AppName)
			}
		})
	}
}

func TestCountHelp(t *testing.T) {
	env := cmdtest.New(t, t.TempDir(), nil, false)
	cmd := NewCmdCount(env.F, func(*CountOptions) error { t.Error("ran with --help"); return nil })
	if err := cmdtest.Run(cmd, "--help"); err != nil {
		t.Fatal(err)
	}
}

func TestRunCount(t *testing.T) {
	plan := api.ScalePlan{Steps: []api.ScaleStep{{Group: "app", Region: "iad", Size: "shared-cpu-1x", Delta: 2}}}
	events := []api.DeployEvent{
		{Kind: api.EventInfo, Text: "Creating a 1 GB volume named 'data' for process group 'app'. Use 'hangar vol extend' to increase its size"},
		{Kind: api.EventMachine, MachineID: "m1", Text: "Created m1 group:app region:iad size:shared-cpu-1x volume:vol_1"},
		{Kind: api.EventMachine, MachineID: "m2", Text: "Created m2 group:app region:iad size:shared-cpu-1x volume:vol_2"},
		{Kind: api.EventWarn, Text: "something to know"},
	}
	const planText = "App 'web' is going to be scaled according to this plan:\n  +2 machines for group 'app' on region 'iad' of size 'shared-cpu-1x'\n"
	const doneText = "Executing scale plan\n" +
		"  Creating a 1 GB volume named 'data' for process group 'app'. Use 'hangar vol extend' to increase its size\n" +
		"  Created m1 group:app region:iad size:shared-cpu-1x volume:vol_1\n  Created m2 group:app region:iad size:shared-cpu-1x volume:vol_2\n"
	tests := []struct {
		name                string
		tty, yes, answer    bool
		plan                api.ScalePlan
		wantOut, wantErrOut string
		wantErr             string
		wantScaled          bool
	}{
		{"yes", false, true, false, plan, planText + doneText, "WARNING something to know\n", "", true},
		{"no terminal", false, false, false, plan, planText, "", "--yes flag must be specified when not running interactively", false},
		{"confirmed", true, false, true, plan, planText + doneText, "WARNING something to know\n", "", true},
		{"declined", true, false, false, plan, planText, "", "", false},
		{"nothing to do", false, false, false, api.ScalePlan{}, "App already scaled to desired state. No need for changes\n", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, tt.tty)
			var scaled *api.ScaleRequest
			c := &fakeClient{plan: func(api.ScaleRequest) (api.ScalePlan, error) { return tt.plan, nil },
				scale: func(r api.ScaleRequest, progress func(api.DeployEvent)) error {
					scaled = &r
					for _, ev := range events {
						progress(ev)
					}
					return nil
				}}
			p := &cmdtest.Prompter{T: t, Confirms: map[string]bool{"Scale app web?": tt.answer}}
			opts := &CountOptions{IO: env.F.IOStreams, Client: func() (Client, error) { return c, nil }, Prompter: p,
				AppName: "web", Relative: map[string]int{"": 2}, Regions: []string{"iad"}, MaxPerRegion: 3, Yes: tt.yes}
			err := runCount(context.Background(), opts)
			if (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantOut, env.Out.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErrOut, env.ErrOut.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if (scaled != nil) != tt.wantScaled {
				t.Fatalf("scaled = %v, want %v", scaled != nil, tt.wantScaled)
			}
			want := api.ScaleRequest{Relative: map[string]int{"": 2}, Regions: []string{"iad"}, MaxPerRegion: ptr(3)}
			if diff := cmp.Diff(&want, scaled); scaled != nil && diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunCountFails(t *testing.T) {
	env := cmdtest.New(t, t.TempDir(), nil, false)
	plan := api.ScalePlan{Steps: []api.ScaleStep{{Group: "app", Region: "iad", Size: "shared-cpu-1x", Delta: -2}}}
	c := &fakeClient{plan: func(r api.ScaleRequest) (api.ScalePlan, error) {
		if r.MaxPerRegion != nil {
			t.Errorf("max-per-region %d sent, want none", *r.MaxPerRegion)
		}
		return plan, nil
	},
		scale: func(_ api.ScaleRequest, progress func(api.DeployEvent)) error {
			progress(api.DeployEvent{Kind: api.EventMachine, Text: "Destroyed m1 group:app region:iad size:shared-cpu-1x"})
			return errors.New("destroying machine m2: boom")
		}}
	opts := &CountOptions{IO: env.F.IOStreams, Client: func() (Client, error) { return c, nil }, AppName: "web",
		Relative: map[string]int{"": -2}, MaxPerRegion: -1, Yes: true}
	if err := runCount(context.Background(), opts); err == nil || err.Error() != "destroying machine m2: boom" {
		t.Errorf("error %v", err)
	}
	if out := env.Out.String(); !strings.HasSuffix(out, "Executing scale plan\n  Destroyed m1 group:app region:iad size:shared-cpu-1x\n") {
		t.Errorf("stdout:\n%s", out)
	}
}

func ptr[T any](v T) *T { return &v }

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
