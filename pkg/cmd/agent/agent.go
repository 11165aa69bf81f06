// Package agent implements `hangar agent`: run, start, stop and inspect the background daemon.
package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/agent"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/home"
)

// NewCmdAgent is `hangar agent`.
func NewCmdAgent(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "agent",
		Short: "Manage the hangar agent, the daemon that owns state, containers, proxy and DNS",
	}
	cmd.AddCommand(newCmdRun(f), newCmdStart(f), newCmdStop(f), newCmdRestart(f), newCmdStatus(f))
	return cmd
}

func newCmdRun(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "Run the agent in the foreground",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			log := slog.New(slog.NewTextHandler(f.IOStreams.ErrOut, nil))
			return agent.Run(ctx, f.HomeDir(), f.Version, log)
		},
	}
}

func newCmdStart(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "start",
		Short: "Start the agent in the background if it is not running",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := f.Client()
			if err != nil {
				return err
			}
			return printStatus(cmd.Context(), f, c)
		},
	}
}

func newCmdStop(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "stop",
		Short: "Stop the background agent",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c := api.NewClient(home.Socket(f.HomeDir()))
			st, err := c.Ping(cmd.Context())
			if err != nil {
				fmt.Fprintln(f.IOStreams.ErrOut, "The hangar agent is not running")
				return nil
			}
			if err := c.StopAgent(cmd.Context()); err != nil {
				return err
			}
			if err := waitGone(cmd.Context(), c); err != nil {
				return err
			}
			if err := waitExited(st.PID, home.Log(f.HomeDir())); err != nil {
				return err
			}
			fmt.Fprintln(f.IOStreams.ErrOut, "Stopped the hangar agent")
			return nil
		},
	}
}

func newCmdStatus(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show whether the agent is running",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c := api.NewClient(home.Socket(f.HomeDir()))
			if _, err := c.Ping(cmd.Context()); err != nil {
				return fmt.Errorf("the hangar agent is not running (socket %s): start it with hangar agent start", home.Socket(f.HomeDir()))
			}
			return printStatus(cmd.Context(), f, c)
		},
	}
}

func printStatus(ctx context.Context, f *cmdutil.Factory, c *api.Client) error {
	st, err := c.Ping(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.IOStreams.Out, "The hangar agent is running\n  PID:     %d\n  Version: %s\n  Home:    %s\n  Since:   %s\n",
		st.PID, st.Version, st.Home, cmdutil.Ago(f.Now(), st.StartedAt))
	return nil
}

// waitGone polls until the agent stops answering, so a following start finds it gone.
func waitGone(ctx context.Context, c *api.Client) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := c.Ping(ctx); err != nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("the hangar agent still answers 10s after it was asked to stop")
}

// waitExited waits for the agent's process to end: it answers no more requests as soon
// as it begins to stop, but takes back what it added to the host (names, routes, the
// DNS address) and drains its connections after that.
func waitExited(pid int, logPath string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if exited(pid) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("the hangar agent (pid %d) still runs 30s after it was asked to stop: see %s", pid, logPath)
}

// exited reports whether pid is gone, or a zombie nobody reaped yet (its work is done).
func exited(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return errors.Is(err, os.ErrNotExist)
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(rest, "Z")
}
