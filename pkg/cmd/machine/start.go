package machine

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// StartOptions is `hangar machine start ID...`.
type StartOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	IDs     []string
}

// NewCmdStart starts (or resumes) machines.
func NewCmdStart(f *cmdutil.Factory, runF func(*StartOptions) error) *cobra.Command {
	opts := &StartOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "start ID...",
		Short: "Start one or more machines",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IDs = args
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runStart(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	return cmd
}

func runStart(ctx context.Context, opts *StartOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	for _, id := range opts.IDs {
		if _, err := c.StartMachine(ctx, opts.AppName, id); err != nil {
			return fmt.Errorf("starting machine %s: %w", id, err)
		}
		fmt.Fprintf(opts.IO.Out, "%s has been started\n", id)
	}
	return nil
}
