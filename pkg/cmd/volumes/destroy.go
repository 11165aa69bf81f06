package volumes

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// DestroyOptions is `hangar volumes destroy ID`.
type DestroyOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (Client, error)
	Prompter cmdutil.Prompter

	AppName string
	ID      string
	Yes     bool
}

// NewCmdDestroy asks first unless --yes; without a terminal --yes is required.
func NewCmdDestroy(f *cmdutil.Factory, runF func(*DestroyOptions) error) *cobra.Command {
	opts := &DestroyOptions{IO: f.IOStreams, Client: clientFunc(f), Prompter: f.Prompter}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:     "destroy ID",
		Aliases: []string{"delete", "rm"},
		Short:   "Destroy an unattached volume and its files",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			if err := checkVolumeID(opts.ID); err != nil {
				return err
			}
			if !opts.Yes && !opts.IO.CanPrompt() {
				return cmdutil.FlagErrorf("--yes is required when not running interactively")
			}
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runDestroy(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "Accept all confirmations")
	return cmd
}

func runDestroy(ctx context.Context, opts *DestroyOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if !opts.Yes {
		fmt.Fprintln(opts.IO.ErrOut, "Deleting a volume is not reversible.")
		ok, err := opts.Prompter.Confirm("Are you sure you want to destroy this volume?", false)
		if err != nil || !ok {
			return err
		}
	}
	v, err := c.DestroyVolume(ctx, opts.AppName, opts.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "Destroyed volume ID: %s name: %s\n", v.ID, v.Name)
	return nil
}
