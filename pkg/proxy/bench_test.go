package proxy

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"testing"
	"time"
)

// The warm benchmarks send the same request to the same hello machine three
// ways: through the proxy, directly, and through a bare httputil.ReverseProxy,
// so the proxy's overhead can be read as a ratio. "serial" is one keep-alive
// connection (ns/op is the latency); "parallel" uses GOMAXPROCS clients.
//
//	go test -run '^$' -bench . -benchtime 2s ./pkg/proxy

func BenchmarkProxyWarm(b *testing.B) {
	fm := newFakeMachines(b, httpApp(hello), loopbacks(1)...)
	fm.runNow("3d8d9e3f")
	h := newHarness(b, webService(), fm, quiet)
	benchGet(b, h.url+"/")
}

func BenchmarkDirect(b *testing.B) {
	fm := newFakeMachines(b, httpApp(hello), loopbacks(1)...)
	fm.runNow("3d8d9e3f")
	benchGet(b, "http://"+netip.AddrPortFrom(fm.ms[0].addr, fm.port).String()+"/")
}

func BenchmarkHTTPUtilReverseProxy(b *testing.B) {
	fm := newFakeMachines(b, httpApp(hello), loopbacks(1)...)
	fm.runNow("3d8d9e3f")
	target := &url.URL{Scheme: "http", Host: netip.AddrPortFrom(fm.ms[0].addr, fm.port).String()}
	srv := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
	b.Cleanup(srv.Close)
	benchGet(b, srv.URL+"/")
}

// BenchmarkWake times a request to a stopped app until its body is read:
// Start, the dial loop, and the first response. With the port open when
// Start returns, the first dial succeeds; with the app listening 5 ms after
// Start, the dial loop has to catch the moment. µs-after-listen is the time
// from the app's listen to the client holding the response: what the proxy
// adds to a wake.
func BenchmarkWake(b *testing.B) {
	b.Run("port open at start", func(b *testing.B) {
		benchWake(b, func(f *fakeMachines) { f.openAtStart = true })
	})
	b.Run("port opens 5ms after start", func(b *testing.B) {
		benchWake(b, func(f *fakeMachines) { f.startDelay = 5 * time.Millisecond })
	})
}

func benchWake(b *testing.B, setup func(*fakeMachines)) {
	fm := newFakeMachines(b, httpApp(hello), loopbacks(1)...)
	fm.set(setup)
	h := newHarness(b, webService(), fm, quiet)
	var late time.Duration
	for b.Loop() {
		fetch(b, h.client, h.url+"/")
		done := time.Now()
		b.StopTimer()
		fm.set(func(f *fakeMachines) { late += done.Sub(f.ms[0].openedAt) })
		waitFor(b, "the lease to end", h.settled)
		h.clock.Advance(h.svc.IdleTimeout)
		waitFor(b, "the idle stop", h.settled)
		b.StartTimer()
	}
	if starts, _ := fm.counts(); starts < b.N {
		b.Fatalf("%d starts for %d wakes", starts, b.N)
	}
	b.ReportMetric(float64(late.Microseconds())/float64(b.N), "µs-after-listen/op")
}

func quiet(c *Config) { c.Logger = slog.New(slog.DiscardHandler) }

func benchGet(b *testing.B, u string) {
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		client := benchClient(b)
		for b.Loop() {
			fetch(b, client, u)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		client := benchClient(b)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				fetch(b, client, u)
			}
		})
	})
}

func benchClient(b *testing.B) *http.Client {
	tr := &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true}
	b.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// fetch GETs u and reads the body; it reports with Error, not Fatal, since
// parallel benchmarks call it from their own goroutines.
func fetch(b *testing.B, c *http.Client, u string) {
	resp, err := c.Get(u)
	if err != nil {
		b.Error(err)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Errorf("status %d", resp.StatusCode)
	}
}
