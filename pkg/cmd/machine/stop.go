package machine

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// StopOptions is `hangar machine stop ID...`.
type StopOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	IDs     []string
	// Signal and Timeout (seconds) override the machine's kill signal and kill timeout when set.
	Signal  string
	Timeout int
}

// NewCmdStop stops machines with their kill signal, or --signal.
func NewCmdStop(f *cmdutil.Factory, runF func(*StopOptions) error) *cobra.Command {
	opts := &StopOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "stop ID...",
		Short: "Stop one or more machines",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Timeout < 0 {
				return cmdutil.FlagErrorf("--timeout must be 0 or more seconds, got %d", opts.Timeout)
			}
			opts.IDs = args
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runStop(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmd.Flags().StringVarP(&opts.Signal, "signal", "s", "", "Signal to stop the machine with (default: the machine's kill signal, SIGINT)")
	cmd.Flags().IntVar(&opts.Timeout, "timeout", 0, "Seconds to wait before killing the machine (default: its kill_timeout)")
	return cmd
}

func runStop(ctx context.Context, opts *StopOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	req := api.StopMachineRequest{Signal: opts.Signal, Timeout: opts.Timeout}
	for _, id := range opts.IDs {
		fmt.Fprintf(opts.IO.ErrOut, "Sending kill signal to machine %s...\n", id)
		if _, err := c.StopMachine(ctx, opts.AppName, id, req); err != nil {
			return fmt.Errorf("stopping machine %s: %w", id, err)
		}
		fmt.Fprintf(opts.IO.Out, "%s has been successfully stopped\n", id)
	}
	return nil
}
