// Package secrets implements `hangar secrets`: set, import, unset, list and deploy an app's encrypted secrets.
package secrets

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	deploycmd "github.com/hangarhq/hangar/pkg/cmd/deploy"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// Client is what the secrets commands need of the agent.
type Client interface {
	ListSecrets(ctx context.Context, app string) ([]api.Secret, error)
	SetSecrets(ctx context.Context, app string, req api.SetSecretsRequest) (api.SetSecretsResponse, error)
	DeploySecrets(ctx context.Context, app string, progress func(api.DeployEvent)) (api.Release, error)
}

var _ Client = (*api.Client)(nil)

// NewCmdSecrets is `hangar secrets`.
func NewCmdSecrets(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "secrets",
		Short: "Manage an app's secrets",
		Long: "Secrets are given to an app's machines as environment variables when they are made. " +
			"Names are case sensitive; values are encrypted at rest and never shown.",
	}
	cmd.AddCommand(NewCmdSet(f, nil), NewCmdImport(f, nil), NewCmdUnset(f, nil), NewCmdList(f, nil), NewCmdDeploy(f, nil))
	return cmd
}

func clientFunc(f *cmdutil.Factory) func() (Client, error) {
	return func() (Client, error) { return f.Client() }
}

// Rollout is what set, unset and deploy share: whether to restart the machines, and whether to wait.
type Rollout struct {
	Stage, Detach bool
}

func (r *Rollout) addFlags(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&r.Stage, "stage", false, "Set secrets but skip deployment for machine apps")
	cmd.Flags().BoolVar(&r.Detach, "detach", false, "Return immediately instead of monitoring deployment progress")
}

// afterChange tells what a recorded change means, or puts it on the machines.
func afterChange(ctx context.Context, io *iostreams.IOStreams, c Client, app string, res api.SetSecretsResponse, r Rollout) error {
	switch {
	case r.Stage:
		fmt.Fprintln(io.ErrOut, "Secrets have been staged, but not set on VMs. Deploy or update machines in this app for the secrets to take effect.")
	case !res.Deployed:
		fmt.Fprintln(io.ErrOut, "Secrets are staged for the first deployment")
	default:
		return rollout(ctx, io, c, app, r.Detach)
	}
	return nil
}

// rollout restarts the app's deployed release with its secrets, one machine at a time.
// Detached, it returns at the first progress line: the agent goes on alone.
func rollout(ctx context.Context, io *iostreams.IOStreams, c Client, app string, detach bool) error {
	show, done := deploycmd.Progress(io)
	defer done()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	rel, err := c.DeploySecrets(ctx, app, func(ev api.DeployEvent) {
		if detach {
			stop()
			return
		}
		show(ev)
	})
	done()
	if detach && ctx.Err() != nil {
		fmt.Fprintf(io.ErrOut, "The machines of %s are being restarted with the secrets in the hangar agent: follow it with hangar status -a %s\n", app, app)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.ErrOut, "Release v%d created: the machines of %s run with the secrets\n", rel.Version, app)
	return nil
}
