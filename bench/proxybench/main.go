// Command proxybench measures waking a stopped app through `hangar proxy` against the same wake through the app's Flycast address from the host and from a shell machine, in one run.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/e2e/testimages"
)

func main() { benchenv.Main("proxybench", run) }

func run(ctx context.Context, env *benchenv.Env) error {
	shellImage := fmt.Sprintf("hangar-bench-shell:%d", os.Getpid())
	if err := testimages.BuildBusybox(ctx, env.Engine, shellImage); err != nil {
		return err
	}
	defer env.Engine.RemoveImage(ctx, shellImage)
	a, err := deploy(env.Hangar, env.Image)
	if a != nil {
		defer a.close()
	}
	if err != nil {
		return err
	}
	local, stop, err := a.proxy()
	if err != nil {
		return err
	}
	defer stop()
	viaProxy, err := median(env.Rounds, func() (time.Duration, error) { return a.coldFirstByte(local) })
	if err != nil {
		return err
	}
	viaFlycast, err := median(env.Rounds, func() (time.Duration, error) { return a.coldFirstByte("[" + a.flycast + "]:80") })
	if err != nil {
		return err
	}
	viaShell, err := median(env.Rounds, func() (time.Duration, error) { return a.shellFirstByte(shellImage) })
	if err != nil {
		return err
	}
	fmt.Printf("Docker %s; medians of %d rounds; a stopped machine, one GET until its first byte\n", env.Info.ServerVersion, env.Rounds)
	fmt.Printf("  hangar proxy 0:80 (local port, through the agent; from accept)   %8.1f ms\n", ms(viaProxy))
	fmt.Printf("  the app's Flycast address from the host (from connect)            %8.1f ms\n", ms(viaFlycast))
	fmt.Printf("  http://<app>.flycast from a shell machine (from the name lookup)  %8.1f ms\n", ms(viaShell))
	fmt.Printf("  ratio proxy/shell                                                 %8.2f\n", float64(viaProxy)/float64(viaShell))
	fmt.Printf("  ratio proxy/host                                                  %8.2f\n", float64(viaProxy)/float64(viaFlycast))
	return nil
}

// app is one deployed app of a private HANGAR_HOME, with its agent.
type app struct {
	bin, home, dir, name string
	id, flycast          string
}

func deploy(bin, image string) (*app, error) {
	home, err := os.MkdirTemp("", "hgp-")
	if err != nil {
		return nil, err
	}
	a := &app{bin: bin, home: home, name: fmt.Sprintf("proxybench-%d", os.Getpid())}
	a.dir = filepath.Join(home, a.name)
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

// hangar runs a command for this app for at most two minutes; its agent never idles
// machines on its own.
func (a *app) hangar(args ...string) (string, error) { return a.hangarIn("", args...) }

// hangarIn is hangar with stdin.
func (a *app) hangarIn(stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := a.command(ctx, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("hangar %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (a *app) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, a.bin, args...)
	cmd.Dir = a.dir
	cmd.Env = append(os.Environ(), "HANGAR_HOME="+a.home, "HANGAR_IDLE_TIMEOUT=24h")
	return cmd
}

func (a *app) lookup() error {
	var ips []struct{ Address string }
	var ms []struct{ ID string }
	for args, v := range map[string]any{"ips list --json": &ips, "machine list --json": &ms} {
		out, err := a.hangar(strings.Fields(args)...)
		if err != nil {
			return err
		}
		json.Unmarshal([]byte(out), v)
	}
	if len(ips) != 1 || len(ms) != 1 {
		return fmt.Errorf("want one address and one machine, got %v and %v", ips, ms)
	}
	a.flycast, a.id = ips[0].Address, ms[0].ID
	return nil
}

var proxyingLine = regexp.MustCompile(`^Proxying localhost:(\d+) to remote`)

// proxy starts `hangar proxy 0:80` and returns the local address it printed.
func (a *app) proxy() (string, func(), error) {
	cmd := a.command(context.Background(), "proxy", "0:80")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	m := proxyingLine.FindStringSubmatch(line)
	if m == nil {
		stop()
		return "", nil, fmt.Errorf("hangar proxy printed %q", line)
	}
	return "127.0.0.1:" + m[1], stop, nil
}

// coldFirstByte stops the machine, then times one GET on a new connection to addr
// from the connection until the first byte of the answer.
func (a *app) coldFirstByte(addr string) (time.Duration, error) {
	if err := a.stop(); err != nil {
		return 0, err
	}
	start := time.Now()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s.flycast\r\nConnection: close\r\n\r\n", a.name)
	if _, err := c.Read(make([]byte, 1)); err != nil {
		return 0, fmt.Errorf("GET through %s: %w", addr, err)
	}
	return time.Since(start), nil
}

func median(n int, f func() (time.Duration, error)) (time.Duration, error) {
	var ds []time.Duration
	for range n {
		d, err := f()
		if err != nil {
			return 0, err
		}
		ds = append(ds, d)
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (a *app) close() {
	a.hangar("apps", "destroy", "-y", a.name)
	a.hangar("agent", "stop")
	os.RemoveAll(a.home)
}
