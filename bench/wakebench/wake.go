package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
)

// coldWake: a stopped machine, then one request through the proxy; against docker start
// of the same container and polling its own address.
func coldWake(ctx context.Context, eng *docker.Engine, a *app, n int) error {
	hg, err := benchenv.Median(n, func() (time.Duration, error) {
		if _, err := a.Hangar("machine", "stop", a.ID); err != nil {
			return 0, err
		}
		return benchenv.FirstByte(a.FlycastURL())
	})
	if err != nil {
		return err
	}
	bare, err := benchenv.Median(n, func() (time.Duration, error) {
		eng.StopContainer(ctx, a.Container, "", 0)
		start := time.Now()
		if err := eng.StartContainer(ctx, a.Container); err != nil {
			return 0, err
		}
		return benchenv.UntilAnswer(a.DirectURL(), start)
	})
	report("cold wake: stopped → first byte", hg, bare)
	return err
}

// pauseWake: the suspend tier (docker pause) against a bare unpause.
func pauseWake(ctx context.Context, eng *docker.Engine, a *app, n int) error {
	hg, err := benchenv.Median(n, func() (time.Duration, error) {
		if _, err := a.Hangar("machine", "suspend", a.ID); err != nil {
			return 0, err
		}
		return benchenv.FirstByte(a.FlycastURL())
	})
	if err != nil {
		return err
	}
	bare, err := benchenv.Median(n, func() (time.Duration, error) {
		if err := eng.PauseContainer(ctx, a.Container); err != nil {
			return 0, err
		}
		start := time.Now()
		if err := eng.UnpauseContainer(ctx, a.Container); err != nil {
			return 0, err
		}
		return benchenv.UntilAnswer(a.DirectURL(), start)
	})
	report("pause-tier wake: suspended → first byte", hg, bare)
	return err
}

// wakeStorm: 1000 requests at once to a stopped app; all must succeed.
func wakeStorm(ctx context.Context, eng *docker.Engine, a *app, _ int) error {
	if _, err := a.Hangar("machine", "stop", a.ID); err != nil {
		return err
	}
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var ok atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, err := client.Get(a.FlycastURL()); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("  %-44s %d/1000 answered 200, all within %.1f ms\n", "wake storm: 1000 requests to a stopped app", ok.Load(), ms(time.Since(start)))
	return nil
}
