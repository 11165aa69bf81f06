package volumes

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// CreateOptions is `hangar volumes create NAME`.
type CreateOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (Client, error)
	Prompter cmdutil.Prompter

	AppName           string
	Name              string
	SizeGB            int
	Region            string
	Count             int
	SnapshotRetention int
	SnapshotID        string
	Yes               bool
	JSON              bool
}

// NewCmdCreate binds flyctl's flags into CreateOptions.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{IO: f.IOStreams, Client: clientFunc(f), Prompter: f.Prompter}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create new volumes for an app (from a snapshot with --snapshot-id)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if err := checkCreate(opts, cmd.Flags().Changed("size")); err != nil {
				return err
			}
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runCreate(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	fl := cmd.Flags()
	fl.IntVarP(&opts.SizeGB, "size", "s", 1, "The size of volume in gigabytes (recorded, not enforced)")
	fl.StringVarP(&opts.Region, "region", "r", "", "The target region (iad when not given)")
	fl.IntVarP(&opts.Count, "count", "n", 1, "The number of volumes to create")
	fl.IntVar(&opts.SnapshotRetention, "snapshot-retention", 5, "Snapshot retention in days")
	fl.StringVar(&opts.SnapshotID, "snapshot-id", "", "Create the volume from the specified snapshot")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "Accept all confirmations")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func checkCreate(opts *CreateOptions, sizeSet bool) error {
	if opts.SnapshotID != "" && !sizeSet {
		opts.SizeGB = 0 // the snapshot's size
	} else if err := checkSize(opts.SizeGB); err != nil {
		return err
	}
	if opts.Count < 1 {
		return cmdutil.FlagErrorf("--count must be at least 1, got %d", opts.Count)
	}
	if opts.SnapshotRetention < 1 || opts.SnapshotRetention > 60 {
		return cmdutil.FlagErrorf("--snapshot-retention must be 1-60 days, got %d", opts.SnapshotRetention)
	}
	return nil
}

func runCreate(ctx context.Context, opts *CreateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if ok, err := confirmFirst(ctx, c, opts); err != nil || !ok {
		return err
	}
	req := api.CreateVolumeRequest{Name: opts.Name, SizeGB: opts.SizeGB, Region: opts.Region,
		SnapshotRetention: opts.SnapshotRetention, SnapshotID: opts.SnapshotID}
	var made []api.Volume
	for range opts.Count {
		v, err := c.CreateVolume(ctx, opts.AppName, req)
		if err != nil {
			return err
		}
		made = append(made, v)
		if !opts.JSON {
			printVolume(opts.IO.Out, v)
		}
	}
	if opts.JSON {
		out := make([]volumeJSON, 0, len(made))
		for _, v := range made {
			out = append(out, toJSON(v))
		}
		return cmdutil.PrintJSON(opts.IO.Out, out)
	}
	return nil
}

// confirmFirst warns, as flyctl does, before the first volume of a name: a volume lives
// on one host. Without a terminal --yes is required.
func confirmFirst(ctx context.Context, c Client, opts *CreateOptions) (bool, error) {
	if opts.Yes {
		return true, nil
	}
	vs, err := c.ListVolumes(ctx, opts.AppName)
	if err != nil {
		return false, err
	}
	for _, v := range vs {
		if v.Name == opts.Name {
			return true, nil
		}
	}
	if !opts.IO.CanPrompt() {
		return false, cmdutil.FlagErrorf("yes flag must be specified when not running interactively")
	}
	fmt.Fprintln(opts.IO.ErrOut, "Warning! Every volume is pinned to a specific physical host. On Hangar that is this machine: "+
		"a volume's data is only as safe as this disk. Take snapshots (hangar volumes snapshots create) to keep copies.")
	return opts.Prompter.Confirm("Do you still want to use the volumes feature?", false)
}
