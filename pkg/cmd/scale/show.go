package scale

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/pkg/tableprinter"
)

// ShowOptions is `hangar scale show`.
type ShowOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	JSON    bool
}

// NewCmdShow binds `scale show` into ShowOptions.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Show the app's process groups: machine count, size and regions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runShow(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runShow(ctx context.Context, opts *ShowOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	groups, err := c.ShowScale(ctx, opts.AppName)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, append([]api.ScaleGroup{}, groups...))
	}
	fmt.Fprintf(opts.IO.Out, "VM Resources for app: %s\n\nGroups\n", opts.AppName)
	t := tableprinter.New(opts.IO.Out, opts.IO.IsStdoutTTY(), "Name", "Count", "Kind", "CPUs", "Memory", "Regions")
	for _, g := range groups {
		t.AddRow(g.Name, fmt.Sprint(g.Count), g.CPUKind, fmt.Sprint(g.CPUs), fmt.Sprintf("%d MB", g.MemoryMB), regions(g.Regions))
	}
	return t.Render()
}

// regions is flyctl's "iad(2),ord(1)".
func regions(byRegion map[string]int) string {
	var parts []string
	for _, r := range slices.Sorted(maps.Keys(byRegion)) {
		parts = append(parts, fmt.Sprintf("%s(%d)", r, byRegion[r]))
	}
	return strings.Join(parts, ",")
}
