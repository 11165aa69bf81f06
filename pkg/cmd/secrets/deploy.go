package secrets

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// DeployOptions is `hangar secrets deploy`.
type DeployOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	Detach  bool
}

// NewCmdDeploy binds flags into DeployOptions; runF replaces the run function in tests.
func NewCmdDeploy(f *cmdutil.Factory, runF func(*DeployOptions) error) *cobra.Command {
	opts := &DeployOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "deploy",
		Short: "Deploy staged secrets for an application",
		Long:  "Deploy staged secrets: restart the deployed release's machines one at a time so they get the app's secrets.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runDeploy(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	cmd.Flags().BoolVar(&opts.Detach, "detach", false, "Return immediately instead of monitoring deployment progress")
	return cmd
}

func runDeploy(ctx context.Context, opts *DeployOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return rollout(ctx, opts.IO, c, opts.AppName, opts.Detach)
}
