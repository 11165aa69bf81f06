package volumes

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/pkg/tableprinter"
)

// NewCmdSnapshots is `hangar volumes snapshots list|create VOLUME`.
func NewCmdSnapshots(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "snapshots",
		Aliases: []string{"snapshot", "snaps"},
		Short:   "Manage volume snapshots: compressed, verified archives under $HANGAR_HOME/snapshots",
	}
	cmd.AddCommand(NewCmdSnapshot(f, "list", nil), NewCmdSnapshot(f, "create", nil))
	return cmd
}

// SnapshotOptions is `hangar volumes snapshots list|create VOLUME`.
type SnapshotOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)
	Now    func() time.Time

	Verb    string // list or create
	AppName string
	Volume  string
	JSON    bool
}

// NewCmdSnapshot binds flags for one verb.
func NewCmdSnapshot(f *cmdutil.Factory, verb string, runF func(*SnapshotOptions) error) *cobra.Command {
	opts := &SnapshotOptions{IO: f.IOStreams, Client: clientFunc(f), Now: f.Now, Verb: verb}
	var app cmdutil.AppFlags
	short := "List the snapshots of a volume"
	if verb == "create" {
		short = "Snapshot a volume now (a running machine is paused for the copy)"
	}
	cmd := &cobra.Command{
		Use:   verb + " VOLUME",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Volume = args[0]
			if err := checkVolumeID(opts.Volume); err != nil {
				return err
			}
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runSnapshot(cmd.Context(), opts)
		},
	}
	if verb == "list" {
		cmd.Aliases = []string{"ls"}
	}
	app.Add(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runSnapshot(ctx context.Context, opts *SnapshotOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if opts.Verb == "create" {
		s, err := c.CreateVolumeSnapshot(ctx, opts.AppName, opts.Volume)
		if err != nil || opts.JSON {
			return firstErr(err, func() error { return cmdutil.PrintJSON(opts.IO.Out, s) })
		}
		fmt.Fprintf(opts.IO.Out, "Created snapshot %s of volume %s (%s)\n", s.ID, opts.Volume, humanBytes(s.Size))
		return nil
	}
	snaps, err := c.ListVolumeSnapshots(ctx, opts.AppName, opts.Volume)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, append([]api.VolumeSnapshot{}, snaps...))
	}
	t := tableprinter.New(opts.IO.Out, opts.IO.IsStdoutTTY(), "ID", "Status", "Size", "Created At")
	for _, s := range snaps {
		t.AddRow(s.ID, s.Status, humanBytes(s.Size), cmdutil.Ago(opts.Now(), s.CreatedAt))
	}
	return t.Render()
}

func firstErr(err error, then func() error) error {
	if err != nil {
		return err
	}
	return then()
}

// humanBytes is an archive's size as flyctl prints sizes: "12 MB".
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
