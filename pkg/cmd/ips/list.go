package ips

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/pkg/tableprinter"
)

// ListOptions is `hangar ips list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)
	Now    func() time.Time

	AppName string
	JSON    bool
}

// NewCmdList binds flags into ListOptions; runF replaces the run function in tests.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: clientFunc(f), Now: f.Now}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the app's IP addresses",
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
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	ips, err := c.ListIPs(ctx, opts.AppName)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, toJSON(ips))
	}
	return printIPs(opts.IO, opts.Now(), ips)
}

func printIPs(io *iostreams.IOStreams, now time.Time, ips []api.IPAddress) error {
	t := tableprinter.New(io.Out, io.IsStdoutTTY(), "Version", "IP", "Type", "Region", "Created At")
	for _, ip := range ips {
		t.AddRow(versionText(ip.Address), ip.Address, typeText(ip.Type), ip.Region, cmdutil.Ago(now, ip.CreatedAt))
	}
	return t.Render()
}

// ipJSON keeps flyctl's --json keys (Go field names, no tags), so scripts move between the two.
type ipJSON struct {
	ID          string
	Address     string
	Type        string
	Region      string
	CreatedAt   time.Time
	ServiceName string
	Network     *string
}

func toJSON(ips []api.IPAddress) []ipJSON {
	out := make([]ipJSON, 0, len(ips))
	for _, ip := range ips {
		out = append(out, ipJSON{Address: ip.Address, Type: ip.Type, Region: ip.Region, CreatedAt: ip.CreatedAt})
	}
	return out
}
