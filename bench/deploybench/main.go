// Command deploybench compares `hangar deploy` of one machine with the bare Engine API
// calls the same work needs (network, create, start, first HTTP answer), in one run.
package main

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/pkg/runtime"
)

func main() { benchenv.Main("deploybench", run) }

func run(ctx context.Context, env *benchenv.Env) error {
	eng, image, rounds, bin, info := env.Engine, env.Image, env.Rounds, env.Hangar, env.Info
	fresh, err := measure(rounds, func(i int) (time.Duration, error) { return bareOnNewNetwork(ctx, eng, image, i) })
	if err != nil {
		return fmt.Errorf("bare engine: %w", err)
	}
	warm, err := bareOnWarmNetwork(ctx, eng, image, rounds)
	if err != nil {
		return fmt.Errorf("bare engine, warm network: %w", err)
	}
	hg, err := measure(rounds, func(i int) (time.Duration, error) { return hangarDeploy(bin, image, i) })
	if err != nil {
		return fmt.Errorf("hangar deploy: %w", err)
	}
	fmt.Printf("Docker %s (API %s), %d rounds each, medians:\n", info.ServerVersion, info.APIVersion, rounds)
	fmt.Printf("  bare engine, new network: network + create + start + first answer  %8.1f ms\n", ms(fresh))
	fmt.Printf("  bare engine, warm network: create + start + first answer (floor)  %8.1f ms\n", ms(warm))
	fmt.Printf("  hangar deploy --ha=false of a new app (whole command)             %8.1f ms\n", ms(hg))
	fmt.Printf("  ratio hangar / bare new network                                   %8.2f\n", float64(hg)/float64(fresh))
	fmt.Printf("  ratio hangar / bare warm network (floor)                          %8.2f\n", float64(hg)/float64(warm))
	return nil
}

func measure(rounds int, f func(int) (time.Duration, error)) (time.Duration, error) {
	var ds []time.Duration
	for i := range rounds {
		d, err := f(i)
		if err != nil {
			return 0, err
		}
		ds = append(ds, d)
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// bareOnNewNetwork is what a tool calling the engine directly pays for a new app:
// a new network, then one container until it answers.
func bareOnNewNetwork(ctx context.Context, eng runtime.Engine, image string, i int) (time.Duration, error) {
	start := time.Now()
	net, err := benchNetwork(ctx, eng, i)
	if err != nil {
		return 0, err
	}
	defer eng.RemoveNetwork(ctx, net.Name)
	if _, err := bareContainer(ctx, eng, image, net, 2); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// bareOnWarmNetwork is the floor: containers on a network that already served one.
func bareOnWarmNetwork(ctx context.Context, eng runtime.Engine, image string, rounds int) (time.Duration, error) {
	net, err := benchNetwork(ctx, eng, 1000)
	if err != nil {
		return 0, err
	}
	defer eng.RemoveNetwork(ctx, net.Name)
	if _, err := bareContainer(ctx, eng, image, net, 2); err != nil {
		return 0, err
	}
	return measure(rounds, func(i int) (time.Duration, error) { return bareContainer(ctx, eng, image, net, 3+i) })
}

func benchNetwork(ctx context.Context, eng runtime.Engine, i int) (runtime.Network, error) {
	subnet := netip.MustParsePrefix(fmt.Sprintf("fdaa:0:%x:a7b::/64", 0xb000+i))
	return eng.EnsureNetwork(ctx, runtime.NetworkSpec{Name: fmt.Sprintf("hangar-bench-%d-%d", os.Getpid(), i), Subnet: subnet})
}

// bareContainer times create + start + first HTTP answer of one container, then removes it.
func bareContainer(ctx context.Context, eng runtime.Engine, image string, net runtime.Network, host int) (time.Duration, error) {
	addr := net.Subnet.Addr()
	for range host {
		addr = addr.Next()
	}
	start := time.Now()
	id, err := eng.CreateContainer(ctx, runtime.ContainerSpec{Image: image, Network: net.Name, IPv6Address: addr, PublishPort: 80,
		Labels: map[string]string{"hangar.bench": "true"}})
	if err != nil {
		return 0, err
	}
	defer eng.RemoveContainer(ctx, id, true)
	if err := eng.StartContainer(ctx, id); err != nil {
		return 0, err
	}
	if err := firstAnswer("http://["+addr.String()+"]:80/", 30*time.Second); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

func firstAnswer(url string, limit time.Duration) error {
	c := http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if resp, err := c.Get(url); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer within %s", url, limit)
}

// hangarDeploy times `hangar deploy` of a freshly launched app, then destroys it.
func hangarDeploy(bin, image string, i int) (time.Duration, error) {
	home, _ := os.MkdirTemp("", "hgb-")
	defer os.RemoveAll(home)
	dir := filepath.Join(home, fmt.Sprintf("bench-%d-%d", os.Getpid(), i))
	os.Mkdir(dir, 0o755)
	hangar := func(args ...string) error {
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = dir, append(os.Environ(), "HANGAR_HOME="+home)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("hangar %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	defer hangar("agent", "stop")
	if err := hangar("launch", "--image", image, "--internal-port", "80", "--no-deploy", "--yes"); err != nil {
		return 0, err
	}
	defer hangar("apps", "destroy", "-y", filepath.Base(dir))
	start := time.Now()
	if err := hangar("deploy", "--ha=false"); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
