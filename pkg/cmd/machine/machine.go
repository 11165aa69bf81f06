// Package machine implements `hangar machine`: run, list, inspect, start, stop, suspend and destroy an app's machines.
package machine

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
)

// Client is what the machine commands need of the agent.
type Client interface {
	ListMachines(ctx context.Context, app string) ([]api.Machine, error)
	GetMachine(ctx context.Context, app, id string) (api.Machine, error)
	RunMachine(ctx context.Context, app string, req api.RunMachineRequest) (api.Machine, error)
	StartMachine(ctx context.Context, app, id string) (api.Machine, error)
	StopMachine(ctx context.Context, app, id string, req api.StopMachineRequest) (api.Machine, error)
	SuspendMachine(ctx context.Context, app, id string) (api.Machine, error)
	DestroyMachine(ctx context.Context, app, id string, force bool) error
	Attach(ctx context.Context, app, id string) (net.Conn, error)
	ResizeMachineTTY(ctx context.Context, app, id string, rows, cols int) error
	GetApp(ctx context.Context, app string) (api.App, error)
	CreateApp(ctx context.Context, req api.CreateAppRequest) (api.CreateAppResponse, error)
}

var _ Client = (*api.Client)(nil)

// NewCmdMachine is `hangar machine`.
func NewCmdMachine(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "machine",
		Aliases: []string{"machines", "m"},
		Short:   "Manage an app's machines",
		Long:    "Manage an app's machines: the Docker containers that run it, one per process group and copy.",
	}
	cmd.AddCommand(
		NewCmdRun(f, nil),
		NewCmdList(f, nil),
		NewCmdStatus(f, nil),
		NewCmdStart(f, nil),
		NewCmdStop(f, nil),
		NewCmdSuspend(f, nil),
		NewCmdDestroy(f, nil),
	)
	return cmd
}

// clientFunc adapts the Factory's client to this package's interface.
func clientFunc(f *cmdutil.Factory) func() (Client, error) {
	return func() (Client, error) { return f.Client() }
}

// sizeText is flyctl's size preset name with the memory: "shared-cpu-1x:1024MB".
func sizeText(g api.Guest) string {
	cpus := max(g.CPUs, 1)
	name := fmt.Sprintf("shared-cpu-%dx", cpus)
	if g.CPUKind == "performance" {
		name = fmt.Sprintf("performance-%dx", cpus)
	}
	if g.MemoryMB > 0 {
		name += fmt.Sprintf(":%dMB", g.MemoryMB)
	}
	return name
}

// timeText is how flyctl's machine tables show a timestamp.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
