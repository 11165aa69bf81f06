// Package releases implements `hangar releases`: an app's deploys, newest first.
package releases

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
	"github.com/hangarhq/hangar/pkg/tableprinter"
)

// Client is what `hangar releases` needs of the agent.
type Client interface {
	ListReleases(ctx context.Context, app string) ([]api.Release, error)
}

var _ Client = (*api.Client)(nil)

// Options is `hangar releases`.
type Options struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)
	Now    func() time.Time

	AppName string
	JSON    bool
}

// NewCmdReleases binds flags into Options; runF replaces the run function in tests.
func NewCmdReleases(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Client: func() (Client, error) { return f.Client() }, Now: f.Now}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "releases",
		Short: "List the app's releases",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runReleases(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runReleases(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	releases, err := c.ListReleases(ctx, opts.AppName)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, append([]api.Release{}, releases...))
	}
	now := opts.Now()
	t := tableprinter.New(opts.IO.Out, opts.IO.IsStdoutTTY(), "Version", "Status", "Description", "Date")
	for _, r := range releases {
		t.AddRow(fmt.Sprintf("v%d", r.Version), r.Status, description(r), cmdutil.Ago(now, r.CreatedAt))
	}
	return t.Render()
}

// description says what the release deployed and, when it failed, why.
func description(r api.Release) string {
	d := "Deploy image " + r.Image
	if r.Status == "failed" && r.Reason != "" {
		d += ": " + r.Reason
	}
	return d
}
