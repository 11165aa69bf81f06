package volumes

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// ShowOptions is `hangar volumes show ID`.
type ShowOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	ID      string
	JSON    bool
}

// NewCmdShow binds flags into ShowOptions.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show the details of a volume",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			if err := checkVolumeID(opts.ID); err != nil {
				return err
			}
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runShow(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runShow(ctx context.Context, opts *ShowOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	v, err := c.GetVolume(ctx, opts.AppName, opts.ID)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, toJSON(v))
	}
	printVolume(opts.IO.Out, v)
	return nil
}
