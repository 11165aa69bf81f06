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

// ListOptions is `hangar volumes list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)
	Now    func() time.Time

	AppName string
	JSON    bool
}

// NewCmdList binds flags into ListOptions.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: clientFunc(f), Now: f.Now}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the volumes of an app",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runList(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	vs, err := c.ListVolumes(ctx, opts.AppName)
	if err != nil {
		return err
	}
	if opts.JSON {
		out := make([]volumeJSON, 0, len(vs))
		for _, v := range vs {
			out = append(out, toJSON(v))
		}
		return cmdutil.PrintJSON(opts.IO.Out, out)
	}
	return printVolumes(opts.IO, opts.Now(), vs)
}

func printVolumes(io *iostreams.IOStreams, now time.Time, vs []api.Volume) error {
	t := tableprinter.New(io.Out, io.IsStdoutTTY(), "ID", "State", "Name", "Size", "Region", "Zone", "Encrypted", "Attached VM", "Created At")
	for _, v := range vs {
		t.AddRow(v.ID, v.State, v.Name, fmt.Sprintf("%dGB", v.SizeGB), v.Region, v.Zone, fmt.Sprint(v.Encrypted),
			v.AttachedMachineID, cmdutil.Ago(now, v.CreatedAt))
	}
	return t.Render()
}
