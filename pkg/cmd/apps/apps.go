// Package apps implements `hangar apps`: list, create and destroy apps.
package apps

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
)

// Client is what the apps commands need of the agent.
type Client interface {
	ListApps(ctx context.Context, org string) ([]api.App, error)
	CreateApp(ctx context.Context, req api.CreateAppRequest) (api.CreateAppResponse, error)
	DestroyApp(ctx context.Context, app string) error
}

var _ Client = (*api.Client)(nil)

// NewCmdApps is `hangar apps`.
func NewCmdApps(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "apps",
		Aliases: []string{"app"},
		Short:   "Manage apps",
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdCreate(f, nil), NewCmdDestroy(f, nil))
	return cmd
}

func clientFunc(f *cmdutil.Factory) func() (Client, error) {
	return func() (Client, error) { return f.Client() }
}
