package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/home"
	"github.com/hangarhq/hangar/pkg/machine"
)

// app is the measured app, launched and deployed in a private HANGAR_HOME with its agent.
type app struct {
	bin, home, dir, name string
	flycast, sixpn, id   string
	container            string
	pid                  int // the agent's, once asked
}

func newApp(bin, image string) (*app, error) {
	dir, err := os.MkdirTemp("", "hgs-")
	if err != nil {
		return nil, err
	}
	a := &app{bin: bin, home: dir, name: fmt.Sprintf("scalebench-%d", os.Getpid())}
	a.dir = filepath.Join(dir, a.name)
	os.Mkdir(a.dir, 0o755)
	if _, err := a.hangar("launch", "--image", image, "--internal-port", "80", "--no-deploy", "--yes"); err != nil {
		return a, err
	}
	toml, _ := os.ReadFile(filepath.Join(a.dir, "fly.toml"))
	os.WriteFile(filepath.Join(a.dir, "fly.toml"), []byte(strings.Replace(string(toml), "force_https = true", "force_https = false", 1)), 0o644)
	if _, err := a.hangar("deploy", "--ha=false"); err != nil {
		return a, err
	}
	return a, a.lookup()
}

// hangar runs a command for this app; the agent it starts never idles machines on its own.
func (a *app) hangar(args ...string) (string, error) {
	cmd := exec.Command(a.bin, args...)
	cmd.Dir = a.dir
	cmd.Env = append(os.Environ(), "HANGAR_HOME="+a.home, "HANGAR_IDLE_TIMEOUT=24h")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("hangar %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (a *app) lookup() error {
	out, err := a.hangar("ips", "list", "--json")
	if err != nil {
		return err
	}
	var ips []struct{ Address string }
	json.Unmarshal([]byte(out), &ips)
	if out, err = a.hangar("machine", "list", "--json"); err != nil {
		return err
	}
	var ms []struct {
		ID        string `json:"id"`
		PrivateIP string `json:"private_ip"`
	}
	json.Unmarshal([]byte(out), &ms)
	if len(ips) != 1 || len(ms) != 1 {
		return fmt.Errorf("want one address and one machine, got %v and %v", ips, ms)
	}
	a.flycast, a.sixpn, a.id = ips[0].Address, ms[0].PrivateIP, ms[0].ID
	a.container = machine.ContainerName(a.name, a.id, 0)
	return nil
}

func (a *app) flycastURL() string { return "http://[" + a.flycast + "]:80/" }
func (a *app) directURL() string  { return "http://[" + a.sixpn + "]:80/" }

// resolver is where the host's lookups reach this installation: its organization's
// resolver address.
func (a *app) resolver() string {
	org := netip.PrefixFrom(netip.MustParseAddr(a.flycast), 48).Masked()
	return ipalloc.OrgDNSAddr(org).String()
}

// agentRSS is the agent's resident memory, from /proc.
func (a *app) agentRSS(ctx context.Context) (float64, error) {
	st, err := api.NewClient(home.Socket(a.home)).Ping(ctx)
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
	a.hangar("agent", "stop")
	if a.pid != 0 && !exited(a.pid, 3*time.Minute) {
		fmt.Fprintf(os.Stderr, "scalebench: the agent (pid %d) had not exited 3 minutes after hangar agent stop; its home %s is left\n", a.pid, a.home)
		return
	}
	fmt.Fprintf(os.Stderr, "scalebench: the agent exited %.1f s after hangar agent stop\n", time.Since(start).Seconds())
	removeInstallation(ctx, env, a.home)
	os.RemoveAll(a.home)
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
