package machine

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

func TestRunList(t *testing.T) {
	shell := api.Machine{ID: "9a1", State: "created", SleepTier: "cold", Region: "iad", Image: "ubuntu", ProcessGroup: "shell",
		CreatedAt: webMachine.CreatedAt, UpdatedAt: webMachine.UpdatedAt}
	tests := []struct {
		name     string
		machines []api.Machine
		tty      bool
		opts     ListOptions
		wantOut  string
		wantErr  string
	}{
		{"terminal", []api.Machine{webMachine, shell}, true, ListOptions{},
			"ID             NAME  STATE   SLEEP REGION IMAGE                   IP ADDRESS         CREATED              LAST UPDATED         PROCESS GROUP SIZE\n" +
				"3d8d9e1b2c4f68 web-1 started -     iad    nginxdemos/hello:latest fdaa:0:2a:a7b:1::2 2026-11-24T08:00:00Z 2026-11-24T09:57:00Z app           shared-cpu-1x:1024MB\n" +
				"9a1                  created cold  iad    ubuntu                                     2026-11-24T08:00:00Z 2026-11-24T09:57:00Z shell         shared-cpu-1x\n",
			"2 machines have been retrieved from app web.\n"},
		{"pipe", []api.Machine{webMachine}, false, ListOptions{},
			"ID\tNAME\tSTATE\tSLEEP\tREGION\tIMAGE\tIP ADDRESS\tCREATED\tLAST UPDATED\tPROCESS GROUP\tSIZE\n" +
				"3d8d9e1b2c4f68\tweb-1\tstarted\t-\tiad\tnginxdemos/hello:latest\tfdaa:0:2a:a7b:1::2\t2026-11-24T08:00:00Z\t2026-11-24T09:57:00Z\tapp\tshared-cpu-1x:1024MB\n",
			"1 machines have been retrieved from app web.\n"},
		{"quiet", []api.Machine{webMachine, shell}, true, ListOptions{Quiet: true}, "3d8d9e1b2c4f68\n9a1\n", ""},
		{"empty terminal", nil, true, ListOptions{},
			"ID NAME STATE SLEEP REGION IMAGE IP ADDRESS CREATED LAST UPDATED PROCESS GROUP SIZE\n",
			"No machines are available on this app web\n"},
		{"empty pipe", nil, false, ListOptions{},
			"ID\tNAME\tSTATE\tSLEEP\tREGION\tIMAGE\tIP ADDRESS\tCREATED\tLAST UPDATED\tPROCESS GROUP\tSIZE\n",
			"No machines are available on this app web\n"},
		{"empty quiet", nil, false, ListOptions{Quiet: true}, "", ""},
		{"empty json", nil, false, ListOptions{JSON: true}, "[]\n", ""},
		{"json", []api.Machine{webMachine}, true, ListOptions{JSON: true}, `[
    {
        "id": "3d8d9e1b2c4f68",
        "name": "web-1",
        "state": "started",
        "region": "iad",
        "private_ip": "fdaa:0:2a:a7b:1::2",
        "image": "nginxdemos/hello:latest",
        "version": 2,
        "process_group": "app",
        "guest": {
            "cpu_kind": "shared",
            "cpus": 1,
            "memory_mb": 1024
        },
        "created_at": "2026-11-24T08:00:00Z",
        "updated_at": "2026-11-24T09:57:00Z"
    }
]
`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, out, errOut := iostreams.Test()
			io.SetTTY(tt.tty)
			fc := &fakeClient{listMachines: func(app string) ([]api.Machine, error) {
				if app != "web" {
					t.Errorf("app = %q", app)
				}
				return tt.machines, nil
			}}
			opts := tt.opts
			opts.IO, opts.Client, opts.AppName = io, clientOf(fc), "web"
			if err := runList(context.Background(), &opts); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.wantOut, out.String()); d != "" {
				t.Errorf("stdout (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantErr, errOut.String()); d != "" {
				t.Errorf("stderr (-want +got):\n%s", d)
			}
		})
	}
}
