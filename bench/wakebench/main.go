// Command wakebench measures the Flycast proxy against bare Docker in one run: cold wake
// (stopped → first byte), pause-tier wake, a 1000-request wake storm, and warm throughput.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/hangarhq/hangar/e2e/testimages"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
)

func main() {
	rounds := flag.Int("n", 5, "rounds of each wake")
	bin := flag.String("hangar", "hangar", "the hangar binary")
	flag.Parse()
	if err := run(*rounds, *bin); err != nil {
		fmt.Fprintln(os.Stderr, "wakebench:", err)
		os.Exit(1)
	}
}

func run(rounds int, bin string) error {
	ctx := context.Background()
	eng, err := docker.New()
	if err != nil {
		return err
	}
	info, err := eng.Info(ctx)
	if err != nil {
		return err
	}
	image := fmt.Sprintf("hangar-bench-hello:%d", os.Getpid())
	if err := testimages.BuildHello(ctx, eng, image); err != nil {
		return err
	}
	defer eng.RemoveImage(ctx, image)
	a, err := newApp(bin, image)
	if err != nil {
		return err
	}
	defer a.close()
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
