package ssh

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
)

type fakeClient struct {
	machines []api.Machine
	code     int
	output   string
	got      api.ExecRequest
	gotID    string
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) ListMachines(context.Context, string) ([]api.Machine, error) {
	return f.machines, nil
}
func (f *fakeClient) Exec(_ context.Context, _, id string, req api.ExecRequest) (net.Conn, string, error) {
	f.got, f.gotID = req, id
	client, side := net.Pipe()
	go func() { side.Write([]byte(f.output)); side.Close() }()
	return client, "exec1", nil
}
func (f *fakeClient) ExecExitCode(context.Context, string, string) (int, error)  { return f.code, nil }
func (f *fakeClient) ResizeExec(context.Context, string, string, int, int) error { return nil }

func TestConsoleArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		tty     bool
		wantErr string
	}{
		{"command", []string{"-C", "echo hi"}, false, ""},
		{"select without a terminal", []string{"-s"}, false, "--select needs a terminal: pass --machine ID instead"},
		{"select and machine", []string{"-s", "--machine", "m1"}, true, "--select and --machine both pick the machine: pass one of them"},
		{"arguments", []string{"ls"}, false, `unknown command "ls" for "console"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, tt.tty)
			err := cmdtest.Run(NewCmdConsole(env.F, func(*ConsoleOptions) error { return nil }), append(tt.args, "-a", "web")...)
			if (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestRunConsole(t *testing.T) {
	ms := []api.Machine{{ID: "asleep", State: "stopped", Version: 1}, {ID: "awake", State: "started", Version: 1}}
	tests := []struct {
		name     string
		opts     ConsoleOptions
		code     int
		wantID   string
		wantCmd  []string
		wantCode int
	}{
		{"a running machine, a command", ConsoleOptions{Command: "exit 3"}, 3, "awake", []string{"/bin/sh", "-c", "exit 3"}, 3},
		{"a shell in the named machine", ConsoleOptions{MachineID: "asleep"}, 0, "asleep", []string{"/bin/sh"}, 0},
		{"picked at the prompt", ConsoleOptions{Select: true}, 0, "asleep", []string{"/bin/sh"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, false)
			c := &fakeClient{machines: ms, code: tt.code, output: "hi\n"}
			opts := tt.opts
			opts.IO, opts.AppName = env.F.IOStreams, "web"
			opts.Client = func() (Client, error) { return c, nil }
			opts.Prompter = &cmdtest.Prompter{T: t}
			err := runConsole(context.Background(), &opts)
			var codeErr *cmdutil.ExitCodeError
			if tt.wantCode != 0 && (!errors.As(err, &codeErr) || codeErr.Code != tt.wantCode) {
				t.Fatalf("error %v, want exit code %d", err, tt.wantCode)
			} else if tt.wantCode == 0 && err != nil {
				t.Fatal(err)
			}
			if c.gotID != tt.wantID || c.got.Tty {
				t.Errorf("exec in %s (tty %v), want %s without a terminal", c.gotID, c.got.Tty, tt.wantID)
			}
			if diff := cmp.Diff(tt.wantCmd, c.got.Cmd); diff != "" {
				t.Errorf("command (-want +got):\n%s", diff)
			}
			if env.Out.String() != "hi\n" {
				t.Errorf("stdout %q, want the command's output", env.Out.String())
			}
		})
	}
}

func TestNoMachines(t *testing.T) {
	env := cmdtest.New(t, t.TempDir(), nil, false)
	opts := &ConsoleOptions{IO: env.F.IOStreams, AppName: "web", Client: func() (Client, error) { return &fakeClient{}, nil }}
	if err := runConsole(context.Background(), opts); err == nil || err.Error() != "app web has no machines: create them with hangar deploy" {
		t.Errorf("error %v", err)
	}
}
