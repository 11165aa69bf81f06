package machine

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

func TestRunStatus(t *testing.T) {
	failed := webMachine
	failed.State, failed.ExitCode, failed.LastError = "failed", 137, "out of memory"
	tests := []struct {
		name    string
		machine api.Machine
		tty     bool
		json    bool
		want    string
	}{
		{"started", webMachine, true, false, `Machine ID: 3d8d9e1b2c4f68
Version: 2
State: started

VM
  ID            = 3d8d9e1b2c4f68
  Version       = 2
  State         = started
  Image         = nginxdemos/hello:latest
  Name          = web-1
  Private IP    = fdaa:0:2a:a7b:1::2
  Process Group = app
  Region        = iad
  Size          = shared-cpu-1x:1024MB
  Created       = 2026-11-24T08:00:00Z
  Updated       = 2026-11-24T09:57:00Z
`},
		{"failed, piped", failed, false, false, `Machine ID: 3d8d9e1b2c4f68
Version: 2
State: failed

VM
  ID            = 3d8d9e1b2c4f68
  Version       = 2
  State         = failed
  Image         = nginxdemos/hello:latest
  Name          = web-1
  Private IP    = fdaa:0:2a:a7b:1::2
  Process Group = app
  Region        = iad
  Size          = shared-cpu-1x:1024MB
  Created       = 2026-11-24T08:00:00Z
  Updated       = 2026-11-24T09:57:00Z
  Exit Code     = 137
  Last Error    = out of memory
`},
		{"json", failed, false, true, `{
    "id": "3d8d9e1b2c4f68",
    "name": "web-1",
    "state": "failed",
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
    "exit_code": 137,
    "last_error": "out of memory",
    "created_at": "2026-11-24T08:00:00Z",
    "updated_at": "2026-11-24T09:57:00Z"
}
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, out, errOut := iostreams.Test()
			io.SetTTY(tt.tty)
			fc := &fakeClient{getMachine: func(app, id string) (api.Machine, error) {
				if app != "web" || id != tt.machine.ID {
					t.Errorf("GetMachine(%q, %q)", app, id)
				}
				return tt.machine, nil
			}}
			opts := &StatusOptions{IO: io, Client: clientOf(fc), AppName: "web", ID: tt.machine.ID, JSON: tt.json}
			if err := runStatus(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, out.String()); d != "" {
				t.Errorf("stdout (-want +got):\n%s", d)
			}
			if errOut.Len() != 0 {
				t.Errorf("stderr = %q", errOut)
			}
		})
	}
}
