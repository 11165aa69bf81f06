package machine

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// IDsOptions is a command that does one thing to machines given by ID: start, suspend.
type IDsOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	IDs     []string
}

// NewCmdStart starts (or resumes) machines.
func NewCmdStart(f *cmdutil.Factory, runF func(*IDsOptions) error) *cobra.Command {
	return newIDsCmd(f, "start ID...", "Start one or more machines", runStart, runF)
}

// NewCmdSuspend freezes machines in memory; `start` resumes them.
func NewCmdSuspend(f *cmdutil.Factory, runF func(*IDsOptions) error) *cobra.Command {
	return newIDsCmd(f, "suspend ID...", "Suspend one or more machines", runSuspend, runF)
}

func newIDsCmd(f *cmdutil.Factory, use, short string, run func(context.Context, *IDsOptions) error, runF func(*IDsOptions) error) *cobra.Command {
	opts := &IDsOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
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
			return run(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	return cmd
}

func runStart(ctx context.Context, opts *IDsOptions) error {
	return eachMachine(ctx, opts, "starting", "started", Client.StartMachine)
}

func runSuspend(ctx context.Context, opts *IDsOptions) error {
	return eachMachine(ctx, opts, "suspending", "suspended", Client.SuspendMachine)
}

// eachMachine applies call to every machine in order, stopping at the first failure.
func eachMachine(ctx context.Context, opts *IDsOptions, doing, done string,
	call func(Client, context.Context, string, string) (api.Machine, error)) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	for _, id := range opts.IDs {
		if _, err := call(c, ctx, opts.AppName, id); err != nil {
			return fmt.Errorf("%s machine %s: %w", doing, id, err)
		}
		fmt.Fprintf(opts.IO.Out, "%s has been %s\n", id, done)
	}
	return nil
}
