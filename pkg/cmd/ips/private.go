package ips

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/pkg/tableprinter"
)

// PrivateOptions is `hangar ips private`: the machines' 6PN addresses.
type PrivateOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	JSON    bool
}

// NewCmdPrivate lists machines' private (6PN, .internal) addresses.
func NewCmdPrivate(f *cmdutil.Factory, runF func(*PrivateOptions) error) *cobra.Command {
	opts := &PrivateOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "private",
		Short: "List the private (6PN) addresses of the app's machines",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runPrivate(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runPrivate(ctx context.Context, opts *PrivateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	machines, err := c.ListMachines(ctx, opts.AppName)
	if err != nil {
		return err
	}
	if opts.JSON {
		addrs := make([]string, 0, len(machines))
		for _, m := range machines {
			addrs = append(addrs, m.PrivateIP)
		}
		return cmdutil.PrintJSON(opts.IO.Out, addrs)
	}
	t := tableprinter.New(opts.IO.Out, opts.IO.IsStdoutTTY(), "ID", "Region", "IP")
	for _, m := range machines {
		t.AddRow(m.ID, m.Region, m.PrivateIP)
	}
	return t.Render()
}
