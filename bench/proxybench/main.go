// Command proxybench measures waking a stopped app through `hangar proxy` against the same wake through the app's Flycast address from the host and from a shell machine, in one run.
package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"regexp"
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
		defer a.Close()
	}
	if err != nil {
		return err
	}
	local, stop, err := a.proxy()
	if err != nil {
		return err
	}
	defer stop()
	viaProxy, err := benchenv.Median(env.Rounds, func() (time.Duration, error) { return a.coldFirstByte(local) })
	if err != nil {
		return err
	}
	viaFlycast, err := benchenv.Median(env.Rounds, func() (time.Duration, error) { return a.coldFirstByte("[" + a.Flycast + "]:80") })
	if err != nil {
		return err
	}
	viaShell, err := benchenv.Median(env.Rounds, func() (time.Duration, error) { return a.shellFirstByte(shellImage) })
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

// app is the measured app (see benchenv.App).
type app struct{ *benchenv.App }

func deploy(bin, image string) (*app, error) {
	a, err := benchenv.DeployApp(bin, image, "proxybench")
	return &app{a}, err
}

var proxyingLine = regexp.MustCompile(`^Proxying localhost:(\d+) to remote`)

// proxy starts `hangar proxy 0:80` and returns the local address it printed.
func (a *app) proxy() (string, func(), error) {
	cmd := a.Command(context.Background(), "proxy", "0:80")
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
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s.flycast\r\nConnection: close\r\n\r\n", a.Name)
	if _, err := c.Read(make([]byte, 1)); err != nil {
		return 0, fmt.Errorf("GET through %s: %w", addr, err)
	}
	return time.Since(start), nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
