package apps

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/pkg/tableprinter"
)

// ListOptions is `hangar apps list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	Org   string
	Quiet bool
	JSON  bool
}

// NewCmdList binds flags into ListOptions.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: clientFunc(f)}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List apps",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runList(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Org, "org", "o", "", "Show only apps of this organization")
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "Only list app names")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	apps, err := c.ListApps(ctx, opts.Org)
	if err != nil {
		return err
	}
	switch {
	case opts.JSON:
		return cmdutil.PrintJSON(opts.IO.Out, apps)
	case opts.Quiet:
		for _, a := range apps {
			fmt.Fprintln(opts.IO.Out, a.Name)
		}
		return nil
	}
	t := tableprinter.New(opts.IO.Out, opts.IO.IsStdoutTTY(), "Name", "Owner", "Status", "Hostname")
	for _, a := range apps {
		t.AddRow(a.Name, a.Organization.Slug, a.Status, a.Hostname)
	}
	return t.Render()
}
