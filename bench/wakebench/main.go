// Command wakebench measures Hangar's wake through the Flycast proxy from each sleep tier
// against bare Docker starts of the same image in one run, requests sent while a machine
// stops, the wake storm and warm throughput, and what a sleeping machine costs in memory.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/e2e/testimages"
)

var memApps = flag.Int("mem-apps", 10, "apps deployed to measure the memory of sleeping machines")

func main() { benchenv.Main("wakebench", run) }

func run(ctx context.Context, env *benchenv.Env) error {
	ctx, cancel := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer cancel()
	busybox := fmt.Sprintf("hangar-bench-busybox:%d", os.Getpid())
	if err := testimages.BuildBusybox(ctx, env.Engine, busybox); err != nil {
		return err
	}
	defer env.Engine.RemoveImage(context.Background(), busybox)
	f, err := newFleet(env.Hangar)
	if err != nil {
		return err
	}
	defer f.close(env.Engine)
	b, err := newBare(ctx, env.Engine, env.Image)
	if b != nil {
		defer b.close()
	}
	if err != nil {
		return err
	}
	fmt.Printf("Docker %s (API %s); medians of %d rounds; requests from the host\n", env.Info.ServerVersion, env.Info.APIVersion, env.Rounds)
	r := newResults()
	err = measure(ctx, env, f, b, busybox, r)
	r.print(env.Rounds)
	return err
}

// slowStop is an app whose stop takes a second: its shell traps SIGINT and sleeps, while
// httpd (which ignores SIGINT, started in the background) keeps serving a page that
// names the machine.
var slowStop = appConfig{
	top:    "kill_signal = 'SIGINT'\nkill_timeout = '5s'\n",
	tables: "\n[experimental]\n  cmd = ['sh', '-c', \"hostname > /tmp/index.html; trap 'sleep 1; exit 0' INT; httpd -f -p 80 -h /tmp & wait\"]\n",
}

func measure(ctx context.Context, env *benchenv.Env, f *fleet, b *bare, busybox string, r *results) error {
	pid := os.Getpid()
	a, err := f.deploy(fmt.Sprintf("wakebench-%d", pid), env.Image, appConfig{})
	if err != nil {
		return err
	}
	cold, err := f.deploy(fmt.Sprintf("wakebench-cold-%d", pid), env.Image, appConfig{tables: "\n[hangar]\n  cold_after = '1s'\n"})
	if err != nil {
		return err
	}
	if err := tiers(ctx, a, cold, env.Rounds, r); err != nil {
		return err
	}
	if err := baselines(ctx, b, env.Rounds, r); err != nil {
		return err
	}
	if err := stopping(ctx, f, busybox, env.Rounds, r); err != nil {
		return err
	}
	if err := wakeStorm(ctx, env.Engine, a, env.Rounds); err != nil {
		return err
	}
	if err := warmThroughput(ctx, env.Engine, a, env.Rounds); err != nil {
		return err
	}
	warm, coldMem, before, err := memory(ctx, env.Engine, f, env.Image, *memApps)
	if err == nil {
		r.memory(warm, coldMem, before, *memApps)
	}
	return err
}

func tiers(ctx context.Context, a, cold *app, n int, r *results) error {
	for _, t := range []struct{ key, tier string }{{"stop", "stop"}, {"cold", "cold"}, {"suspend", "suspend"}} {
		target := a
		if t.tier == "cold" {
			target = cold
		}
		d, err := tierWake(ctx, target, t.tier, n)
		if err != nil {
			return fmt.Errorf("waking from the %s tier: %w", t.tier, err)
		}
		r.add(t.key, d)
	}
	return nil
}

func baselines(ctx context.Context, b *bare, n int, r *results) error {
	for _, c := range []struct {
		key string
		f   func() (time.Duration, error)
	}{
		{"v4", func() (time.Duration, error) {
			return benchenv.Median(n, func() (time.Duration, error) { return b.createStart(ctx, false) })
		}},
		{"v6", func() (time.Duration, error) {
			return benchenv.Median(n, func() (time.Duration, error) { return b.createStart(ctx, true) })
		}},
		{"v4start", func() (time.Duration, error) { return b.restart(ctx, n) }},
		{"floor", func() (time.Duration, error) { return b.floor(ctx, n) }},
	} {
		d, err := c.f()
		if err != nil {
			return fmt.Errorf("measuring %s: %w", labels[c.key], err)
		}
		r.add(c.key, d)
	}
	return nil
}

// stopping sends requests while a machine stops: of an app with two, and of one with one.
func stopping(ctx context.Context, f *fleet, busybox string, n int, r *results) error {
	pid := os.Getpid()
	ha := slowStop
	ha.ha = true
	for _, c := range []struct {
		key  string
		name string
		cfg  appConfig
	}{{"ha", fmt.Sprintf("wakebench-ha-%d", pid), ha}, {"slow", fmt.Sprintf("wakebench-slow-%d", pid), slowStop}} {
		a, err := f.deploy(c.name, busybox, c.cfg)
		if err != nil {
			return err
		}
		d, others, err := duringStop(ctx, a, n)
		if err != nil {
			return fmt.Errorf("measuring %s: %w", labels[c.key], err)
		}
		r.add(c.key, d)
		if c.cfg.ha {
			r.note(c.key, fmt.Sprintf("%d/%d answered by the other machine", others, n))
		}
	}
	return nil
}
