// Package status implements `hangar status`: an app and its machines at a glance.
package status

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/pkg/tableprinter"
)

// Client is what `hangar status` needs of the agent.
type Client interface {
	GetApp(ctx context.Context, app string) (api.App, error)
	ListMachines(ctx context.Context, app string) ([]api.Machine, error)
}

var _ Client = (*api.Client)(nil)

// Options is `hangar status`.
type Options struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)
	Now    func() time.Time

	AppName string
	JSON    bool
}

// NewCmdStatus binds flags into Options; runF replaces the run function in tests.
func NewCmdStatus(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Client: func() (Client, error) { return f.Client() }, Now: f.Now}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the app's details and its machines",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runStatus(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// statusJSON is the --json contract.
type statusJSON struct {
	App      api.App       `json:"app"`
	Machines []api.Machine `json:"machines"`
}

func runStatus(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	app, err := c.GetApp(ctx, opts.AppName)
	if err != nil {
		return err
	}
	machines, err := c.ListMachines(ctx, opts.AppName)
	if err != nil {
		return err
	}
	machines = slices.SortedFunc(slices.Values(machines), func(a, b api.Machine) int { return cmp.Compare(a.ID, b.ID) })
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, statusJSON{App: app, Machines: append([]api.Machine{}, machines...)})
	}
	printApp(opts.IO.Out, app, newestImage(machines))
	if len(machines) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "No machines are available on this app %s\n", app.Name)
		return nil
	}
	fmt.Fprintln(opts.IO.Out, "Machines")
	return printMachines(opts.IO, opts.Now(), machines)
}

// printApp is flyctl's "App" block: keys padded so the "=" line up, then a blank line.
func printApp(w io.Writer, app api.App, image string) {
	rows := [][2]string{
		{"Name", app.Name},
		{"Owner", app.Organization.Slug},
		{"Hostname", app.Hostname},
		{"Image", image},
		{"Status", app.Status},
	}
	fmt.Fprintln(w, "App")
	for _, r := range rows {
		fmt.Fprintf(w, "  %-8s = %s\n", r[0], r[1])
	}
	fmt.Fprintln(w)
}

// newestImage is the image of the highest machine version (the latest release), or "-".
func newestImage(machines []api.Machine) string {
	if len(machines) == 0 {
		return "-"
	}
	newest := slices.MaxFunc(machines, func(a, b api.Machine) int {
		return cmp.Or(cmp.Compare(a.Version, b.Version), a.CreatedAt.Compare(b.CreatedAt))
	})
	return newest.Image
}

func printMachines(io *iostreams.IOStreams, now time.Time, machines []api.Machine) error {
	t := tableprinter.New(io.Out, io.IsStdoutTTY(),
		"Process", "ID", "Version", "Region", "State", "Sleep", "Role", "Checks", "Last Updated", "Last Wake")
	for _, m := range machines {
		t.AddRow(m.ProcessGroup, m.ID, strconv.Itoa(m.Version), m.Region, m.State, cmdutil.SleepText(m.SleepTier), "", "",
			m.UpdatedAt.UTC().Format(time.RFC3339), wakeText(now, m.LastWake))
	}
	return t.Render()
}

func wakeText(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return cmdutil.Ago(now, t)
}
