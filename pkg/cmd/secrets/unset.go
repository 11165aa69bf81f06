package secrets

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// UnsetOptions is `hangar secrets unset`.
type UnsetOptions struct {
	IO     *iostreams.IOStreams
	Client func() (Client, error)

	AppName string
	Names   []string
	Rollout
}

// NewCmdUnset binds arguments and flags into UnsetOptions; runF replaces the run function in tests.
func NewCmdUnset(f *cmdutil.Factory, runF func(*UnsetOptions) error) *cobra.Command {
	opts := &UnsetOptions{IO: f.IOStreams, Client: clientFunc(f)}
	var app cmdutil.AppFlags
	cmd := &cobra.Command{
		Use:   "unset [flags] NAME NAME ...",
		Short: "Unset one or more encrypted secrets for an application",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.FlagErrorf("requires at least one secret NAME")
			}
			opts.Names = args
			var err error
			if opts.AppName, err = app.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runUnset(cmd.Context(), opts)
		},
	}
	app.Add(cmd)
	opts.Rollout.addFlags(cmd)
	return cmd
}

// runUnset removes the secrets; a name the app does not have is no error, and when it
// has none of them its machines are not restarted.
func runUnset(ctx context.Context, opts *UnsetOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	before, err := c.ListSecrets(ctx, opts.AppName)
	if err != nil {
		return err
	}
	res, err := c.SetSecrets(ctx, opts.AppName, api.SetSecretsRequest{Unset: opts.Names})
	if err != nil || !hasAny(before, opts.Names) {
		return err
	}
	return afterChange(ctx, opts.IO, c, opts.AppName, res, opts.Rollout)
}

func hasAny(secrets []api.Secret, names []string) bool {
	for _, s := range secrets {
		for _, n := range names {
			if s.Name == n {
				return true
			}
		}
	}
	return false
}
