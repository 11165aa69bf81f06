// Package volumes implements `hangar volumes`: create, list, show, extend and destroy an app's volumes, and their snapshots.
package volumes

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
)

// Client is what the volumes commands need of the agent.
type Client interface {
	ListVolumes(ctx context.Context, app string) ([]api.Volume, error)
	GetVolume(ctx context.Context, app, id string) (api.Volume, error)
	CreateVolume(ctx context.Context, app string, req api.CreateVolumeRequest) (api.Volume, error)
	ExtendVolume(ctx context.Context, app, id string, sizeGB int) (api.Volume, error)
	DestroyVolume(ctx context.Context, app, id string) (api.Volume, error)
	ListVolumeSnapshots(ctx context.Context, app, id string) ([]api.VolumeSnapshot, error)
	CreateVolumeSnapshot(ctx context.Context, app, id string) (api.VolumeSnapshot, error)
}

var _ Client = (*api.Client)(nil)

// NewCmdVolumes is `hangar volumes` (alias `vol`).
func NewCmdVolumes(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "volumes",
		Aliases: []string{"volume", "vol"},
		Short:   "Manage an app's volumes",
		Long: "Manage an app's volumes: persistent directories that [[mounts]] puts into machines. " +
			"Each is a Docker volume on this host; its size is recorded, not enforced (Docker's local driver has no quota).",
	}
	cmd.AddCommand(NewCmdCreate(f, nil), NewCmdList(f, nil), NewCmdShow(f, nil), NewCmdExtend(f, nil),
		NewCmdDestroy(f, nil), NewCmdSnapshots(f))
	return cmd
}

func clientFunc(f *cmdutil.Factory) func() (Client, error) {
	return func() (Client, error) { return f.Client() }
}

// printVolume is flyctl's block of right-aligned "Label: value" lines.
func printVolume(w io.Writer, v api.Volume) {
	rows := [][2]string{
		{"ID", v.ID}, {"Name", v.Name}, {"App", v.App}, {"Region", v.Region}, {"Zone", v.Zone},
		{"Size GB", fmt.Sprintf("%d (not enforced)", v.SizeGB)}, {"Encrypted", fmt.Sprint(v.Encrypted)},
		{"Created at", v.CreatedAt.Format("02 Jan 06 15:04 MST")},
		{"Snapshot retention", fmt.Sprint(v.SnapshotRetention)}, {"Scheduled snapshots", fmt.Sprint(v.ScheduledSnapshots)},
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%*s: %s\n", width, r[0], r[1])
	}
}

// volumeJSON is the --json shape: explicit, with Fly's keys.
type volumeJSON struct {
	ID                string    `json:"id"`
	Name              string    `json:"name"`
	State             string    `json:"state"`
	SizeGB            int       `json:"size_gb"`
	Region            string    `json:"region"`
	Zone              string    `json:"zone"`
	Encrypted         bool      `json:"encrypted"`
	AttachedMachineID *string   `json:"attached_machine_id"`
	SnapshotRetention int       `json:"snapshot_retention"`
	AutoBackupEnabled bool      `json:"auto_backup_enabled"`
	CreatedAt         time.Time `json:"created_at"`
}

func toJSON(v api.Volume) volumeJSON {
	out := volumeJSON{ID: v.ID, Name: v.Name, State: v.State, SizeGB: v.SizeGB, Region: v.Region, Zone: v.Zone,
		Encrypted: v.Encrypted, SnapshotRetention: v.SnapshotRetention, AutoBackupEnabled: v.ScheduledSnapshots, CreatedAt: v.CreatedAt}
	if v.AttachedMachineID != "" {
		out.AttachedMachineID = &v.AttachedMachineID
	}
	return out
}

// checkSize refuses sizes below 1 GB, naming the flag.
func checkSize(gb int) error {
	if gb < 1 {
		return cmdutil.FlagErrorf("a volume's size must be at least 1 GB, got %d: pass -s 1 or more", gb)
	}
	return nil
}

func checkVolumeID(id string) error {
	if !strings.HasPrefix(id, "vol_") {
		return cmdutil.FlagErrorf("%q is not a volume ID (they look like vol_1234567890abcdef): see hangar volumes list", id)
	}
	return nil
}
