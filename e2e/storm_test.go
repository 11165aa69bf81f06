package e2e

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// TestWakeStorm: 1000 requests at once to a stopped app start its machine exactly once
// and all succeed — none dropped, none redirected, none failed while it wakes.
func TestWakeStorm(t *testing.T) {
	eng := needEngine(t)
	needRoot(t)
	e := newEnv(t)
	name, dir := launchApp(t, e, images.hello, "")
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	addr := flycastAddr(t, e, dir)
	e.must(dir, "machine", "stop", machines(t, e, dir)[0].ID)

	starts := countStarts(t, eng, name)
	ok := storm(t, "http://["+addr+"]:80/", 1000)
	time.Sleep(500 * time.Millisecond) // let the last events arrive
	if ok != 1000 {
		t.Errorf("%d of 1000 requests succeeded", ok)
	}
	if n := starts(); n != 1 {
		t.Errorf("the engine started a container %d times, want exactly 1", n)
	}
	m := scrape(t, e)
	if !strings.Contains(m, `hangar_proxy_requests_total{code="200"} 1000`) || !strings.Contains(m, "hangar_proxy_wakes_total 1") {
		t.Errorf("/metrics does not show the storm:\n%s", m)
	}
}

// scrape reads the agent's /metrics over its unix socket.
func scrape(t *testing.T, e *env) string {
	c := http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", filepath.Join(e.home, "hangar.sock"))
	}}}
	resp, err := c.Get("http://hangar/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

// countStarts follows the engine's start events for the app's containers.
func countStarts(t *testing.T, eng runtime.Engine, app string) func() int64 {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	events, _ := eng.Events(ctx, map[string]string{"hangar.app": app}, time.Time{})
	var n atomic.Int64
	go func() {
		for ev := range events {
			if ev.Action == runtime.ActionStart || ev.Action == runtime.ActionUnpause {
				n.Add(1)
			}
		}
	}()
	time.Sleep(200 * time.Millisecond) // subscribed before the storm
	return n.Load
}

// storm sends n requests at once and counts the 200s.
func storm(t *testing.T, url string, n int) int64 {
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: n, DisableKeepAlives: true}}
	var ok atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := client.Get(url)
			if err != nil {
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				ok.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	return ok.Load()
}
