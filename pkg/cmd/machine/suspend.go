package machine

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// SuspendOptions is `hangar machine suspend ID...`.
type SuspendOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	IDs     []string
}

// NewCmdSuspend freezes machines in memory; `start` resumes them.
func NewCmdSuspend(f *cmdutil.Factory, runF func(*SuspendOptions) error) *cobra.Command {
	opts := &SuspendOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "suspend ID...",
		Short: "Suspend one or more machines",
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
			return runSuspend(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	return cmd
}

func runSuspend(ctx context.Context, opts *SuspendOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	for _, id := range opts.IDs {
		if _, err := c.SuspendMachine(ctx, opts.AppName, id); err != nil {
			return fmt.Errorf("suspending machine %s: %w", id, err)
		}
		fmt.Fprintf(opts.IO.Out, "%s has been suspended\n", id)
	}
	return nil
}
