// Package ssh implements `hangar ssh console`: a shell or one command inside a running machine of the app.
package ssh

import (
	"context"
	"net"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
)

// Client is what `hangar ssh` needs of the agent.
type Client interface {
	ListMachines(ctx context.Context, app string) ([]api.Machine, error)
	Exec(ctx context.Context, app, id string, req api.ExecRequest) (net.Conn, string, error)
	ExecExitCode(ctx context.Context, app, execID string) (int, error)
	ResizeExec(ctx context.Context, app, execID string, rows, cols int) error
}

var _ Client = (*api.Client)(nil)

// NewCmdSSH is `hangar ssh`.
func NewCmdSSH(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ssh",
		Short: "Run a shell or a command inside the app's machines",
	}
	cmd.AddCommand(NewCmdConsole(f, nil))
	return cmd
}
