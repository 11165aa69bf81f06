package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
)

// coldWake: the measured app's machine stopped, then one request to its Flycast address
// until the first byte; against docker start of the same container and polling its own
// address.
func coldWake(ctx context.Context, env *benchenv.Env, a *app) (hangar, bare time.Duration, err error) {
	hangar, err = benchenv.Median(env.Rounds, func() (time.Duration, error) {
		if _, err := a.Hangar("machine", "stop", a.ID); err != nil {
			return 0, err
		}
		return benchenv.FirstByte(a.FlycastURL())
	})
	if err != nil {
		return 0, 0, err
	}
	bare, err = benchenv.Median(env.Rounds, func() (time.Duration, error) {
		env.Engine.StopContainer(ctx, a.Container, "", 0)
		start := time.Now()
		if err := env.Engine.StartContainer(ctx, a.Container); err != nil {
			return 0, err
		}
		return benchenv.UntilAnswer(a.DirectURL(), start)
	})
	return hangar, bare, err
}

// dnsRate stops the measured app and runs dnsperf on its .flycast name against the
// installation's resolver, three times, and returns the median rate. The first lookup
// pre-wakes the app, every later one finds it waking or awake, and each goes through the
// same pre-wake path.
func dnsRate(a *app) (float64, error) {
	if _, err := a.Hangar("machine", "stop", a.ID); err != nil {
		return 0, err
	}
	queries, err := os.CreateTemp("", "scalebench-queries-")
	if err != nil {
		return 0, err
	}
	defer os.Remove(queries.Name())
	fmt.Fprintf(queries, "%s.flycast AAAA\n%s.flycast A\n", a.Name, a.Name)
	queries.Close()
	var rates []float64
	for range 3 {
		r, err := dnsperf(a.resolver(), queries.Name(), *dnsFor/3)
		if err != nil {
			return 0, err
		}
		rates = append(rates, r)
	}
	slices.Sort(rates)
	return rates[1], nil
}

func dnsperf(server, queries string, d time.Duration) (float64, error) {
	out, err := exec.Command("dnsperf", "-s", server, "-d", queries, "-l", strconv.Itoa(max(1, int(d.Seconds()))),
		"-c", "4", "-T", "2", "-q", "100").CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("dnsperf: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Queries per second:\s+([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("dnsperf printed no rate:\n%s", out)
	}
	if lost := regexp.MustCompile(`Queries lost:\s+(\d+)`).FindSubmatch(out); lost != nil && string(lost[1]) != "0" {
		fmt.Fprintf(os.Stderr, "scalebench: dnsperf lost %s queries\n", lost[1])
	}
	return strconv.ParseFloat(string(m[1]), 64)
}
