package logs

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// fakeClient answers Logs from a function field.
type fakeClient struct {
	logs func(ctx context.Context, app, id string, follow bool, tail int) (io.ReadCloser, error)
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) Logs(ctx context.Context, app, id string, follow bool, tail int) (io.ReadCloser, error) {
	return f.logs(ctx, app, id, follow, tail)
}

func TestNewCmdLogs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{"defaults follow 100 lines", []string{"-a", "web"}, Options{AppName: "web", Lines: 100}, ""},
		{"one machine, no tail", []string{"-a", "web", "-i", "3d8d", "-n", "--lines", "5"},
			Options{AppName: "web", MachineID: "3d8d", NoTail: true, Lines: 5}, ""},
		{"long flags", []string{"--app", "web", "--machine", "3d8d", "--lines", "0"}, Options{AppName: "web", MachineID: "3d8d"}, ""},
		{"negative lines", []string{"-a", "web", "--lines", "-1"}, Options{}, "--lines must be 0 or more, got -1"},
		{"not a number", []string{"-a", "web", "--lines", "many"}, Options{}, `invalid argument "many" for "--lines" flag: strconv.ParseInt: parsing "many": invalid syntax`},
		{"no app", nil, Options{}, "no app name: pass -a APP, or run in a directory with fly.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("FLY_APP", "")
			env := cmdtest.New(t, t.TempDir(), nil, false)
			var got *Options
			err := cmdtest.Run(NewCmdLogs(env.F, func(o *Options) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				var fe *cmdutil.FlagError
				if err == nil || err.Error() != tt.wantErr || !errors.As(err, &fe) {
					t.Fatalf("error = %v, want usage error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.IO, got.Client = nil, nil
			if d := cmp.Diff(tt.want, *got); d != "" {
				t.Errorf("options (-want +got):\n%s", d)
			}
		})
	}
}

const sample = "app[3d8d] iad [info] listening on :80\napp[3d8d] iad [info] GET / 200\napp[3d8d] iad [info] no newline at the end"

func TestRunLogs(t *testing.T) {
	for _, tty := range []bool{true, false} {
		for _, noTail := range []bool{false, true} {
			ios, _, out, errOut := iostreams.Test()
			ios.SetTTY(tty)
			type call struct {
				App, ID string
				Follow  bool
				Tail    int
			}
			var got call
			fc := &fakeClient{logs: func(_ context.Context, app, id string, follow bool, tail int) (io.ReadCloser, error) {
				got = call{app, id, follow, tail}
				return io.NopCloser(strings.NewReader(sample)), nil
			}}
			opts := &Options{IO: ios, Client: func() (Client, error) { return fc, nil }, AppName: "web", MachineID: "3d8d", NoTail: noTail, Lines: 20}
			if err := runLogs(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(call{"web", "3d8d", !noTail, 20}, got); d != "" {
				t.Errorf("Logs call (-want +got):\n%s", d)
			}
			if d := cmp.Diff(sample, out.String()); d != "" || errOut.Len() != 0 {
				t.Errorf("tty=%t stdout (-want +got):\n%s\nstderr %q", tty, d, errOut)
			}
		}
	}
}

// followReader gives its lines, then blocks like a followed stream until ctx ends.
type followReader struct {
	ctx     context.Context
	lines   *strings.Reader
	waiting chan struct{} // closed when every line has been read
}

func (r *followReader) Read(p []byte) (int, error) {
	if r.lines.Len() > 0 {
		return r.lines.Read(p)
	}
	close(r.waiting)
	<-r.ctx.Done()
	return 0, r.ctx.Err()
}

func (r *followReader) Close() error { return nil }

func TestRunLogsInterrupted(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	ctx, cancel := context.WithCancel(context.Background())
	waiting := make(chan struct{})
	fc := &fakeClient{logs: func(ctx context.Context, _, _ string, _ bool, _ int) (io.ReadCloser, error) {
		return &followReader{ctx: ctx, lines: strings.NewReader("one\ntwo\n"), waiting: waiting}, nil
	}}
	done := make(chan error, 1)
	go func() {
		done <- runLogs(ctx, &Options{IO: ios, Client: func() (Client, error) { return fc, nil }, AppName: "web", Lines: 100})
	}()
	<-waiting
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Ctrl-C is the normal end of following, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runLogs did not return after cancel")
	}
	if out.String() != "one\ntwo\n" {
		t.Errorf("stdout = %q", out)
	}
}

func TestRunLogsErrors(t *testing.T) {
	notFound := &api.Error{Status: 404, Code: "app_not_found", Message: "app nope not found"}
	broken := errors.New("connection reset")
	tests := []struct {
		name    string
		logs    func() (io.ReadCloser, error)
		want    string
		wantOut string
	}{
		{"unknown app", func() (io.ReadCloser, error) { return nil, notFound }, "app nope not found", ""},
		{"stream breaks", func() (io.ReadCloser, error) {
			return io.NopCloser(io.MultiReader(strings.NewReader("one\n"), errReader{broken})), nil
		}, "reading logs: connection reset", "one\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			fc := &fakeClient{logs: func(context.Context, string, string, bool, int) (io.ReadCloser, error) { return tt.logs() }}
			err := runLogs(context.Background(), &Options{IO: ios, Client: func() (Client, error) { return fc, nil }, AppName: "nope"})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if out.String() != tt.wantOut {
				t.Errorf("stdout = %q, want %q", out, tt.wantOut)
			}
		})
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
