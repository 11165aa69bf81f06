package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime/docker"
)

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
