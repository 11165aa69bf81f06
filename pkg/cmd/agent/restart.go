package agent

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/home"
)

func newCmdRestart(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "restart",
		Short: "Replace the running agent with a new one without dropping a connection",
		Long: `Replace the running agent with a new process of the hangar binary now installed
(run it after replacing the binary to upgrade). The old agent hands its sockets (the
API socket, every Flycast listener, the DNS sockets) to the new one, answers the requests
it has in flight, keeps its WebSockets and TCP connections until they end or its drain
time passes, and exits; new connections wait in the kernel's queue for the new agent,
so none is refused. Machines keep running.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c := api.NewClient(home.Socket(f.HomeDir()))
			old, err := c.RestartAgent(cmd.Context())
			if err != nil {
				return fmt.Errorf("restarting the agent: %w", err)
			}
			st, err := waitReplaced(cmd.Context(), c, old.PID, home.Log(f.HomeDir()))
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IOStreams.ErrOut, "Restarted the hangar agent (pid %d, was %d)\n", st.PID, old.PID)
			return nil
		},
	}
}

// waitReplaced polls until an agent other than pid answers.
func waitReplaced(ctx context.Context, c *api.Client, pid int, logPath string) (api.AgentStatus, error) {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if st, err := c.Ping(ctx); err == nil && st.PID != pid {
			return st, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return api.AgentStatus{}, fmt.Errorf("no new hangar agent answered within 60s of the restart: see %s", logPath)
}
