package apps

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/launch"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// CreateOptions is `hangar apps create NAME`.
type CreateOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	Name string
	Org  string
	JSON bool
}

// NewCmdCreate creates an app without a fly.toml, as `fly apps create` does.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{IO: f.IOStreams, Client: clientFunc(f)}
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a new app",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if err := launch.ValidateAppName(opts.Name); err != nil {
				return &cmdutil.FlagError{Err: err}
			}
			if runF != nil {
				return runF(opts)
			}
			return runCreate(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Org, "org", "o", "", "The organization to create the app in (default personal)")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runCreate(ctx context.Context, opts *CreateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	resp, err := c.CreateApp(ctx, api.CreateAppRequest{AppName: opts.Name, OrgSlug: opts.Org})
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.PrintJSON(opts.IO.Out, resp.App)
	}
	fmt.Fprintf(opts.IO.Out, "New app created: %s\n", resp.App.Name)
	return nil
}
