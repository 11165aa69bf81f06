// Package logs implements `hangar logs`: an app's (or one machine's) log lines, followed live by default.
package logs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// Client is what `hangar logs` needs of the agent.
type Client interface {
	Logs(ctx context.Context, app, id string, follow bool, tail int) (io.ReadCloser, error)
}

var _ Client = (*api.Client)(nil)

// Options is `hangar logs`.
type Options struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName   string
	MachineID string
	// NoTail prints the recent lines and exits instead of following.
	NoTail bool
	// Lines is how many recent lines of each machine to start with.
	Lines int
}

// NewCmdLogs binds flags into Options; runF replaces the run function in tests.
func NewCmdLogs(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Client: func() (Client, error) { return f.Client() }}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "logs",
		Short: "Show the app's logs, following new lines until interrupted",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Lines < 0 {
				return cmdutil.FlagErrorf("--lines must be 0 or more, got %d", opts.Lines)
			}
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runLogs(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmd.Flags().StringVarP(&opts.MachineID, "machine", "i", "", "Only this machine's logs")
	// -n is --no-tail, as in flyctl.
	cmd.Flags().BoolVarP(&opts.NoTail, "no-tail", "n", false, "Print the recent lines and exit instead of following")
	cmd.Flags().IntVar(&opts.Lines, "lines", 100, "Number of recent lines to show from each machine")
	return cmd
}

// runLogs copies whole lines to stdout until the agent ends the stream or ctx is cancelled (Ctrl-C).
func runLogs(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	rc, err := c.Logs(ctx, opts.AppName, opts.MachineID, !opts.NoTail, opts.Lines)
	if err != nil {
		return err
	}
	defer rc.Close()
	err = copyLines(opts.IO.Out, rc)
	if ctx.Err() != nil {
		return nil // interrupted: the normal end of following
	}
	return err
}

func copyLines(w io.Writer, r io.Reader) error {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if _, werr := w.Write(line); werr != nil {
				return werr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading logs: %w", err)
		}
	}
}
