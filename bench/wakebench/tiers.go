package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/pkg/api"
)

// tierWake is the median first byte through the proxy to an app whose one machine
// sleeps in tier: stop and suspend by the command of that name, cold by a stop and the
// cooler (the app's cold_after is short).
func tierWake(ctx context.Context, a *app, tier string, n int) (time.Duration, error) {
	verb := map[string]string{"stop": "stop", "cold": "stop", "suspend": "suspend"}[tier]
	return benchenv.Median(n, func() (time.Duration, error) {
		if _, err := a.Hangar("machine", verb, a.ID); err != nil {
			return 0, err
		}
		if err := waitFor(ctx, a, a.ID, time.Minute, tierIs(tier)); err != nil {
			return 0, err
		}
		return benchenv.FirstByte(a.FlycastURL())
	})
}

// duringStop is the median first byte of a request sent through the proxy while the
// app's first machine is stopping (hangar machine stop, in the background), and how
// many of those answers came from another machine (the app's page names its host).
func duringStop(ctx context.Context, a *app, n int) (time.Duration, int, error) {
	others := 0
	d, err := benchenv.Median(n, func() (time.Duration, error) {
		d, body, err := requestDuringStop(ctx, a)
		if err == nil && body != a.ID {
			others++
		}
		return d, err
	})
	return d, others, err
}

func requestDuringStop(ctx context.Context, a *app) (time.Duration, string, error) {
	if err := wakeAll(ctx, a); err != nil {
		return 0, "", err
	}
	stop := a.Command(ctx, "machine", "stop", a.ID)
	if err := stop.Start(); err != nil {
		return 0, "", err
	}
	defer stop.Wait()
	if err := waitFor(ctx, a, a.ID, 10*time.Second, func(m api.Machine) bool { return m.State == "stopping" }); err != nil {
		return 0, "", err
	}
	return get(a.FlycastURL())
}

// wakeAll starts every machine of the app that is not running, and waits until all run.
func wakeAll(ctx context.Context, a *app) error {
	ms, err := machines(a)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if started(m) {
			continue
		}
		if _, err := a.Hangar("machine", "start", m.ID); err != nil {
			return err
		}
		if err := waitFor(ctx, a, m.ID, time.Minute, started); err != nil {
			return err
		}
	}
	return nil
}

// get is FirstByte that also returns the body, trimmed.
func get(url string) (time.Duration, string, error) {
	start := time.Now()
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Get(url)
	if err != nil {
		return 0, "", err
	}
	d := time.Since(start)
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != 200 {
		return 0, "", fmt.Errorf("%s answered %s", url, resp.Status)
	}
	return d, strings.TrimSpace(string(body)), nil
}
