package machine

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

func TestRunDetached(t *testing.T) {
	for _, tty := range []bool{true, false} {
		io, _, out, errOut := iostreams.Test()
		io.SetTTY(tty)
		var got api.RunMachineRequest
		fc := &fakeClient{runMachine: func(app string, req api.RunMachineRequest) (api.Machine, error) {
			if app != "web" {
				t.Errorf("app = %q", app)
			}
			got = req
			return api.Machine{ID: "7811", PrivateIP: "fdaa:0:2a:a7b:1::9", State: "started"}, nil
		}}
		opts := &RunOptions{IO: io, Client: clientOf(fc), AppName: "web", Image: "busybox", Cmd: []string{"sleep", "inf"},
			Env: map[string]string{"A": "1"}, MemoryMB: 256, Rm: true}
		if err := runRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		want := api.RunMachineRequest{Image: "busybox", Cmd: []string{"sleep", "inf"}, Env: map[string]string{"A": "1"}, MemoryMB: 256, AutoDestroy: true}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("request (-want +got):\n%s", d)
		}
		wantOut := "Success! A Machine has been successfully launched in app web\n Machine ID: 7811\n Private IP: fdaa:0:2a:a7b:1::9\n"
		if d := cmp.Diff(wantOut, out.String()); d != "" {
			t.Errorf("tty=%t stdout (-want +got):\n%s", tty, d)
		}
		if d := cmp.Diff("Watch its logs with: hangar logs -a web -i 7811\n", errOut.String()); d != "" {
			t.Errorf("tty=%t stderr (-want +got):\n%s", tty, d)
		}
	}
}

func TestRunDetachedError(t *testing.T) {
	io, _, out, _ := iostreams.Test()
	fc := &fakeClient{runMachine: func(string, api.RunMachineRequest) (api.Machine, error) {
		return api.Machine{}, &api.Error{Status: 404, Code: "app_not_found", Message: "app web not found"}
	}}
	err := runRun(context.Background(), &RunOptions{IO: io, Client: clientOf(fc), AppName: "web", Image: "busybox"})
	if err == nil || err.Error() != "launching a machine in app web: app web not found" {
		t.Fatalf("error = %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q", out)
	}
}
