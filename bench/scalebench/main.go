// Command scalebench measures what many sleeping apps cost the apps that are used: the
// .flycast DNS answer rate, the cold wake of one app and the agent's memory, with the
// app alone in the state and again with 999 more apps beside it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
)

var (
	apps    = flag.Int("apps", 1000, "apps in the state for the second measurement, the measured one included")
	dnsFor  = flag.Duration("dns", 15*time.Second, "how long dnsperf sends queries, over three runs")
	workers = flag.Int("workers", 4, "containers created at once while populating")
)

func main() { benchenv.Main("scalebench", run) }

// figures is one measurement.
type figures struct {
	qps            float64
	wake, bareWake time.Duration
	rssMB          float64
}

func run(ctx context.Context, env *benchenv.Env) error {
	a, err := newApp(env.Hangar, env.Image)
	if err != nil {
		return err
	}
	defer a.close(ctx, env)
	fmt.Printf("Docker %s; %s; medians of %d cold wakes and of 3 dnsperf runs (%s in all) per figure\n", env.Info.ServerVersion, env.Hangar, env.Rounds, *dnsFor)
	one, err := measure(ctx, env, a)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := a.populate(ctx, env, *apps-1); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "scalebench: %d apps in the state after %.0f s\n", *apps, time.Since(start).Seconds())
	many, err := measure(ctx, env, a)
	if err != nil {
		return err
	}
	report(one, many)
	return nil
}

func measure(ctx context.Context, env *benchenv.Env, a *app) (figures, error) {
	var f figures
	var err error
	if f.wake, f.bareWake, err = coldWake(ctx, env, a); err != nil {
		return f, err
	}
	if f.qps, err = dnsRate(a); err != nil {
		return f, err
	}
	f.rssMB, err = a.agentRSS(ctx)
	return f, err
}

func report(one, many figures) {
	n := fmt.Sprintf("%d apps", *apps)
	fmt.Printf("  %-40s %12s %12s %8s\n", "", "1 app", n, "ratio")
	fmt.Printf("  %-40s %12.0f %12.0f %8.2f\n", ".flycast DNS answers per second", one.qps, many.qps, many.qps/one.qps)
	fmt.Printf("  %-40s %12.1f %12.1f %8.2f\n", "cold wake: stopped → first byte (ms)", ms(one.wake), ms(many.wake), float64(many.wake)/float64(one.wake))
	fmt.Printf("  %-40s %12.1f %12.1f %8.2f\n", "bare docker start → answer (ms)", ms(one.bareWake), ms(many.bareWake), float64(many.bareWake)/float64(one.bareWake))
	fmt.Printf("  %-40s %12.1f %12.1f %8.2f\n", "agent RSS (MB)", one.rssMB, many.rssMB, many.rssMB/one.rssMB)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
