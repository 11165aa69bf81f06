package machine

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/pkg/tableprinter"
)

// ListOptions is `hangar machine list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	Quiet   bool
	JSON    bool
}

// NewCmdList binds flags into ListOptions; runF replaces the run function in tests.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the app's machines",
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
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "Only list machine IDs")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	machines, err := c.ListMachines(ctx, opts.AppName)
	if err != nil {
		return err
	}
	switch {
	case opts.JSON:
		return cmdutil.PrintJSON(opts.IO.Out, nonNil(machines))
	case opts.Quiet:
		for _, m := range machines {
			fmt.Fprintln(opts.IO.Out, m.ID)
		}
		return nil
	}
	if len(machines) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "No machines are available on this app %s\n", opts.AppName)
	} else {
		fmt.Fprintf(opts.IO.ErrOut, "%d machines have been retrieved from app %s.\n", len(machines), opts.AppName)
	}
	return printMachines(opts.IO, machines)
}

func printMachines(io *iostreams.IOStreams, machines []api.Machine) error {
	t := tableprinter.New(io.Out, io.IsStdoutTTY(),
		"ID", "Name", "State", "Sleep", "Region", "Image", "IP Address", "Created", "Last Updated", "Process Group", "Size")
	for _, m := range machines {
		t.AddRow(m.ID, m.Name, m.State, cmdutil.SleepText(m.SleepTier), m.Region, m.Image, m.PrivateIP,
			timeText(m.CreatedAt), timeText(m.UpdatedAt), m.ProcessGroup, sizeText(m.Guest))
	}
	return t.Render()
}

// nonNil keeps --json an array when there are no machines.
func nonNil(ms []api.Machine) []api.Machine {
	if ms == nil {
		return []api.Machine{}
	}
	return ms
}
