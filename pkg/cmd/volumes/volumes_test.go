package volumes

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// fakeClient answers from function fields; unset ones panic.
type fakeClient struct {
	list    func(app string) ([]api.Volume, error)
	create  func(app string, req api.CreateVolumeRequest) (api.Volume, error)
	destroy func(app, id string) (api.Volume, error)
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) ListVolumes(_ context.Context, app string) ([]api.Volume, error) {
	return f.list(app)
}
func (f *fakeClient) GetVolume(context.Context, string, string) (api.Volume, error) {
	return api.Volume{}, errors.New("unexpected")
}
func (f *fakeClient) CreateVolume(_ context.Context, app string, req api.CreateVolumeRequest) (api.Volume, error) {
	return f.create(app, req)
}
func (f *fakeClient) ExtendVolume(context.Context, string, string, int) (api.Volume, error) {
	return api.Volume{}, errors.New("unexpected")
}
func (f *fakeClient) DestroyVolume(_ context.Context, app, id string) (api.Volume, error) {
	return f.destroy(app, id)
}
func (f *fakeClient) ListVolumeSnapshots(context.Context, string, string) ([]api.VolumeSnapshot, error) {
	return nil, errors.New("unexpected")
}
func (f *fakeClient) CreateVolumeSnapshot(context.Context, string, string) (api.VolumeSnapshot, error) {
	return api.VolumeSnapshot{}, errors.New("unexpected")
}

var seed = api.Volume{ID: "vol_0123456789abcdef", Name: "data", App: "web", State: "created", SizeGB: 1, Region: "iad",
	Zone: "local", AttachedMachineID: "5ded2e4597e823", SnapshotRetention: 5, CreatedAt: cmdtest.Now.Add(-2 * time.Minute)}

func TestRunList(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		want string
	}{
		{"terminal", true, "ID                   STATE   NAME SIZE REGION ZONE  ENCRYPTED ATTACHED VM    CREATED AT\n" +
			"vol_0123456789abcdef created data 1GB  iad    local false     5ded2e4597e823 2m ago\n"},
		{"pipe", false, "ID\tSTATE\tNAME\tSIZE\tREGION\tZONE\tENCRYPTED\tATTACHED VM\tCREATED AT\n" +
			"vol_0123456789abcdef\tcreated\tdata\t1GB\tiad\tlocal\tfalse\t5ded2e4597e823\t2m ago\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, out, _ := iostreams.Test()
			io.SetTTY(tt.tty)
			fc := &fakeClient{list: func(string) ([]api.Volume, error) { return []api.Volume{seed}, nil }}
			opts := &ListOptions{IO: io, Client: func() (Client, error) { return fc, nil }, Now: func() time.Time { return cmdtest.Now }, AppName: "web"}
			if err := runList(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, out.String()); d != "" {
				t.Errorf("output (-want +got):\n%s", d)
			}
		})
	}
}

func TestCreateNeedsYesWithoutATerminal(t *testing.T) {
	io, _, _, _ := iostreams.Test()
	fc := &fakeClient{list: func(string) ([]api.Volume, error) { return nil, nil }}
	opts := &CreateOptions{IO: io, Client: func() (Client, error) { return fc, nil }, AppName: "web", Name: "data", SizeGB: 1, Count: 1}
	err := runCreate(context.Background(), opts)
	if err == nil || err.Error() != "yes flag must be specified when not running interactively" {
		t.Errorf("error = %v", err)
	}
}

func TestDestroyPrintsFlyctlsLine(t *testing.T) {
	io, _, out, _ := iostreams.Test()
	fc := &fakeClient{destroy: func(app, id string) (api.Volume, error) { return seed, nil }}
	opts := &DestroyOptions{IO: io, Client: func() (Client, error) { return fc, nil }, AppName: "web", ID: seed.ID, Yes: true}
	if err := runDestroy(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if want := "Destroyed volume ID: vol_0123456789abcdef name: data\n"; out.String() != want {
		t.Errorf("output %q, want %q", out, want)
	}
}

func TestFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"zero size", []string{"create", "data", "-s", "0", "-a", "x"}, "a volume's size must be at least 1 GB, got 0: pass -s 1 or more"},
		{"negative size", []string{"create", "data", "-s", "-2", "-a", "x"}, "a volume's size must be at least 1 GB, got -2: pass -s 1 or more"},
		{"extend without size", []string{"extend", "vol_0123456789abcdef", "-a", "x"}, "--size is required: -s N for N GB, or -s +N to add N GB"},
		{"not an ID", []string{"show", "data", "-a", "x"}, `"data" is not a volume ID (they look like vol_1234567890abcdef): see hangar volumes list`},
		{"destroy needs yes", []string{"destroy", "vol_0123456789abcdef", "-a", "x"}, "--yes is required when not running interactively"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.New(t, t.TempDir(), nil, false)
			err := cmdtest.Run(NewCmdVolumes(env.F), tt.args...)
			var fe *cmdutil.FlagError
			if err == nil || err.Error() != tt.want || !errors.As(err, &fe) {
				t.Fatalf("error = %v, want the usage error %q", err, tt.want)
			}
		})
	}
}
