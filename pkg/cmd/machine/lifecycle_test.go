package machine

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// recorder notes the calls a lifecycle command makes, in order.
type recorder struct{ calls []string }

func (r *recorder) note(call string) { r.calls = append(r.calls, call) }

func TestRunStartAndSuspend(t *testing.T) {
	for _, tty := range []bool{true, false} {
		io, _, out, errOut := iostreams.Test()
		io.SetTTY(tty)
		var rec recorder
		fc := &fakeClient{
			startMachine: func(app, id string) (api.Machine, error) {
				rec.note("start " + app + " " + id)
				return api.Machine{}, nil
			},
			suspendMachine: func(app, id string) (api.Machine, error) {
				rec.note("suspend " + app + " " + id)
				return api.Machine{}, nil
			},
		}
		if err := runStart(context.Background(), &IDsOptions{IO: io, Client: clientOf(fc), AppName: "web", IDs: []string{"m1", "m2"}}); err != nil {
			t.Fatal(err)
		}
		if err := runSuspend(context.Background(), &IDsOptions{IO: io, Client: clientOf(fc), AppName: "web", IDs: []string{"m1"}}); err != nil {
			t.Fatal(err)
		}
		want := "m1 has been started\nm2 has been started\nm1 has been suspended\n"
		if d := cmp.Diff(want, out.String()); d != "" || errOut.Len() != 0 {
			t.Errorf("tty=%t stdout (-want +got):\n%s\nstderr: %q", tty, d, errOut)
		}
		if d := cmp.Diff([]string{"start web m1", "start web m2", "suspend web m1"}, rec.calls); d != "" {
			t.Errorf("calls (-want +got):\n%s", d)
		}
	}
}

func TestRunStartStopsAtFirstError(t *testing.T) {
	io, _, out, _ := iostreams.Test()
	fc := &fakeClient{startMachine: func(_, id string) (api.Machine, error) {
		if id == "bad" {
			return api.Machine{}, &api.Error{Status: 404, Message: "machine bad not found"}
		}
		return api.Machine{}, nil
	}}
	err := runStart(context.Background(), &IDsOptions{IO: io, Client: clientOf(fc), AppName: "web", IDs: []string{"m1", "bad", "m3"}})
	if err == nil || err.Error() != "starting machine bad: machine bad not found" {
		t.Fatalf("error = %v", err)
	}
	if out.String() != "m1 has been started\n" {
		t.Errorf("stdout = %q", out)
	}
}

func TestRunStop(t *testing.T) {
	for _, tty := range []bool{true, false} {
		io, _, out, errOut := iostreams.Test()
		io.SetTTY(tty)
		var got []api.StopMachineRequest
		fc := &fakeClient{stopMachine: func(app, id string, req api.StopMachineRequest) (api.Machine, error) {
			got = append(got, req)
			return api.Machine{ID: id, State: "stopped"}, nil
		}}
		opts := &StopOptions{IO: io, Client: clientOf(fc), AppName: "web", IDs: []string{"m1", "m2"}, Signal: "SIGTERM", Timeout: 10}
		if err := runStop(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff("m1 has been successfully stopped\nm2 has been successfully stopped\n", out.String()); d != "" {
			t.Errorf("stdout (-want +got):\n%s", d)
		}
		if d := cmp.Diff("Sending kill signal to machine m1...\nSending kill signal to machine m2...\n", errOut.String()); d != "" {
			t.Errorf("stderr (-want +got):\n%s", d)
		}
		want := api.StopMachineRequest{Signal: "SIGTERM", Timeout: 10}
		if d := cmp.Diff([]api.StopMachineRequest{want, want}, got); d != "" {
			t.Errorf("requests (-want +got):\n%s", d)
		}
	}
}

func TestRunDestroy(t *testing.T) {
	refusal := &api.Error{Status: 412, Code: "invalid", Message: "machine m1 currently started, either stop first or use --force flag"}
	tests := []struct {
		name    string
		force   bool
		wantOut string
		wantErr string
	}{
		{"refused without force", false, "", refusal.Message},
		{"forced", true, "m1 has been destroyed\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, out, errOut := iostreams.Test()
			io.SetTTY(true)
			fc := &fakeClient{
				getMachine: func(app, id string) (api.Machine, error) { return api.Machine{ID: id, State: "started"}, nil },
				destroyMachine: func(app, id string, force bool) error {
					if !force {
						return refusal
					}
					return nil
				},
			}
			err := runDestroy(context.Background(), &DestroyOptions{IO: io, Client: clientOf(fc), AppName: "web", IDs: []string{"m1"}, Force: tt.force})
			if tt.wantErr != "" {
				if !errors.Is(err, refusal) || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want the agent's %q as is", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.wantOut {
				t.Errorf("stdout = %q, want %q", out, tt.wantOut)
			}
			if want := "machine m1 was found and is currently in started state, attempting to destroy...\n"; errOut.String() != want {
				t.Errorf("stderr = %q, want %q", errOut, want)
			}
		})
	}
}

func TestRunDestroyUnknownMachine(t *testing.T) {
	io, _, out, errOut := iostreams.Test()
	fc := &fakeClient{getMachine: func(app, id string) (api.Machine, error) {
		return api.Machine{}, &api.Error{Status: 404, Message: "machine nope not found"}
	}}
	err := runDestroy(context.Background(), &DestroyOptions{IO: io, Client: clientOf(fc), AppName: "web", IDs: []string{"nope"}})
	if err == nil || err.Error() != "machine nope not found" {
		t.Fatalf("error = %v", err)
	}
	if out.Len()+errOut.Len() != 0 {
		t.Errorf("printed %q / %q for a machine that does not exist", out, errOut)
	}
}
