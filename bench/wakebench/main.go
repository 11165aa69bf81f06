// Command wakebench measures the Flycast proxy against bare Docker in one run: cold wake
// (stopped → first byte), pause-tier wake, a 1000-request wake storm, and warm throughput.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
)

func main() { benchenv.Main("wakebench", run) }

func run(ctx context.Context, env *benchenv.Env) error {
	eng, image, rounds, bin, info := env.Engine, env.Image, env.Rounds, env.Hangar, env.Info
	a, err := newApp(bin, image)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Printf("Docker %s (API %s); medians of %d rounds; requests from the host to the app's Flycast address\n", info.ServerVersion, info.APIVersion, rounds)
	for _, m := range []func(context.Context, *docker.Engine, *app, int) error{coldWake, pauseWake, wakeStorm, warmThroughput} {
		if err := m(ctx, eng, a, rounds); err != nil {
			return err
		}
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func report(what string, hangar, bare time.Duration) {
	fmt.Printf("  %-44s hangar %8.1f ms   bare docker %8.1f ms   ratio %.2f\n", what, ms(hangar), ms(bare), float64(hangar)/float64(bare))
}
