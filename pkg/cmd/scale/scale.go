// Package scale implements `hangar scale`: how many machines each process group runs, and their size.
package scale

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
)

// Client is what the scale commands need of the agent.
type Client interface {
	PlanScale(ctx context.Context, app string, req api.ScaleRequest) (api.ScalePlan, error)
	Scale(ctx context.Context, app string, req api.ScaleRequest, progress func(api.DeployEvent)) error
	ShowScale(ctx context.Context, app string) ([]api.ScaleGroup, error)
	ScaleMemory(ctx context.Context, app string, memoryMB int) (api.ScaleResult, error)
}

var _ Client = (*api.Client)(nil)

// NewCmdScale is `hangar scale`.
func NewCmdScale(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scale",
		Short: "Scale an app's machines: their count per process group and their memory",
	}
	cmd.AddCommand(NewCmdCount(f, nil), NewCmdShow(f, nil), NewCmdMemory(f, nil))
	return cmd
}

func clientFunc(f *cmdutil.Factory) func() (Client, error) {
	return func() (Client, error) { return f.Client() }
}
