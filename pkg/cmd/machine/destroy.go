package machine

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// DestroyOptions is `hangar machine destroy ID...`.
type DestroyOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	IDs     []string
	Force   bool
}

// NewCmdDestroy removes machines; the agent refuses a started one without --force.
func NewCmdDestroy(f *cmdutil.Factory, runF func(*DestroyOptions) error) *cobra.Command {
	opts := &DestroyOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:     "destroy ID...",
		Aliases: []string{"remove", "rm"},
		Short:   "Destroy one or more machines",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IDs = args
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
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "Destroy a machine even if it is running")
	return cmd
}

// runDestroy shows each machine's state first, as flyctl does, and passes the
// agent's refusal through unchanged: it already says to stop first or use --force.
func runDestroy(ctx context.Context, opts *DestroyOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	for _, id := range opts.IDs {
		m, err := c.GetMachine(ctx, opts.AppName, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.ErrOut, "machine %s was found and is currently in %s state, attempting to destroy...\n", id, m.State)
		if err := c.DestroyMachine(ctx, opts.AppName, id, opts.Force); err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "%s has been destroyed\n", id)
	}
	return nil
}
