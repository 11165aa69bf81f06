package main

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/home"
)

// app is the measured app (see benchenv.App), with its agent's pid once asked.
type app struct {
	*benchenv.App
	pid int
}

func newApp(bin, image string) (*app, error) {
	a, err := benchenv.DeployApp(bin, image, "scalebench")
	return &app{App: a}, err
}

// resolver is where the host's lookups reach this installation: its organization's
// resolver address.
func (a *app) resolver() string {
	org := netip.PrefixFrom(netip.MustParseAddr(a.Flycast), 48).Masked()
	return ipalloc.OrgDNSAddr(org).String()
}

// agentRSS is the agent's resident memory, from /proc.
func (a *app) agentRSS(ctx context.Context) (float64, error) {
	st, err := api.NewClient(home.Socket(a.Home)).Ping(ctx)
	if err != nil {
		return 0, err
	}
	a.pid = st.PID
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", st.PID))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		var kb float64
		if _, err := fmt.Sscanf(line, "VmRSS: %f kB", &kb); err == nil {
			return kb / 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", st.PID)
}

// close stops the agent and, once its process has exited, removes every container and
// the network of this installation, and the home. hangar agent stop returns when the API
// is gone; the agent may take much longer to end.
func (a *app) close(ctx context.Context, env *benchenv.Env) {
	start := time.Now()
	a.Hangar("agent", "stop")
	if a.pid != 0 && !exited(a.pid, 3*time.Minute) {
		fmt.Fprintf(os.Stderr, "scalebench: the agent (pid %d) had not exited 3 minutes after hangar agent stop; its home %s is left\n", a.pid, a.Home)
		return
	}
	fmt.Fprintf(os.Stderr, "scalebench: the agent exited %.1f s after hangar agent stop\n", time.Since(start).Seconds())
	removeInstallation(ctx, env, a.Home)
	os.RemoveAll(a.Home)
}

// exited waits up to d for a process to end.
func exited(pid int, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d/exe", pid)); err != nil {
			return true // gone, or a zombie (whose exe link cannot be read)
		}
	}
	return false
}
