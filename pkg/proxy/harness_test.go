package proxy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// harness is a Proxy on a loopback port with fake machines behind it, a
// fake clock, and a client that does not follow redirects.
type harness struct {
	t      testing.TB
	p      *Proxy
	clock  *fakeClock
	cat    *fakeCatalog
	fm     *fakeMachines
	svc    Service
	addr   netip.AddrPort
	url    string
	client *http.Client
	logs   *syncBuffer
}

// webService is a Flycast HTTP service as `hangar launch --flycast` writes it.
func webService() Service {
	return Service{App: "flycast-demo", Port: 80, HTTP: true, AutoStop: AutoStopStop,
		AutoStart: true, IdleTimeout: time.Minute}
}

// newHarness serves svc (its internal port set to the machines') on a
// loopback listener the catalog routes by address.
func newHarness(t testing.TB, svc Service, fm *fakeMachines, opts ...func(*Config)) *harness {
	t.Helper()
	svc.InternalPort = fm.port
	h := &harness{t: t, clock: newFakeClock(), cat: newFakeCatalog(), fm: fm, svc: svc, logs: &syncBuffer{}}
	cfg := Config{Catalog: h.cat, Machines: fm, Clock: h.clock,
		Logger: slog.New(slog.NewJSONHandler(h.logs, nil))}
	for _, opt := range opts {
		opt(&cfg)
	}
	h.p = New(cfg)
	t.Cleanup(func() { _ = h.p.Close() }) // before the machines' cleanup
	listen := netip.MustParseAddrPort("127.0.0.1:0")
	if fm.v6 {
		listen = netip.MustParseAddrPort("[::1]:0")
	}
	addr, err := h.p.Listen(listen)
	if err != nil {
		t.Fatal(err)
	}
	h.addr, h.url = addr, "http://"+addr.String()
	h.cat.addAddr(addr, svc)
	tr := &http.Transport{MaxIdleConnsPerHost: 2000, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	h.client = &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return h
}

// get fetches path and returns the response with its body read.
func (h *harness) get(path string) (*http.Response, string) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodGet, h.url+path, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.do(req)
}

func (h *harness) do(req *http.Request) (*http.Response, string) {
	h.t.Helper()
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("reading body of %s: %v", req.URL, err)
	}
	return resp, string(body)
}

// result is one request's outcome, sent from a goroutine.
type result struct {
	code  int
	body  string
	retry string
	err   error
}

// goGet fetches path in a goroutine the test ends by reading the channel.
func (h *harness) goGet(path string) <-chan result {
	out := make(chan result, 1)
	go func() {
		resp, err := h.client.Get(h.url + path)
		if err != nil {
			out <- result{err: err}
			return
		}
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(resp.Body)
		out <- result{code: resp.StatusCode, body: string(body), retry: resp.Header.Get("Retry-After"), err: err}
	}()
	return out
}

func (h *harness) receive(ch <-chan result) result {
	h.t.Helper()
	select {
	case r := <-ch:
		if r.err != nil {
			h.t.Fatal(r.err)
		}
		return r
	case <-time.After(30 * time.Second):
		h.t.Fatal("request did not finish")
		return result{}
	}
}

// machineView is the proxy's bookkeeping for one machine.
type machineView struct {
	state    MachineState
	active   int
	stopping bool
	timer    bool
}

func (h *harness) machine(id string) machineView {
	v, ok := h.p.apps.Load(h.svc.App)
	if !ok {
		return machineView{}
	}
	a := v.(*app)
	a.mu.Lock()
	defer a.mu.Unlock()
	m := a.machines[id]
	if m == nil {
		return machineView{}
	}
	return machineView{state: m.state(), active: m.active, stopping: m.phase == phaseStopping, timer: m.timer != nil}
}

// settled reports whether no wake is in flight and every lease came back.
func (h *harness) settled() bool {
	v, ok := h.p.apps.Load(h.svc.App)
	if !ok {
		return true
	}
	a := v.(*app)
	a.mu.Lock()
	defer a.mu.Unlock()
	busy := a.wake != nil
	for _, m := range a.machines {
		busy = busy || m.active > 0 || m.phase == phaseStopping
	}
	return !busy
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// syncBuffer collects log output from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records returns the JSON log records whose message is msg.
func (b *syncBuffer) records(msg string) []map[string]any {
	b.mu.Lock()
	text := b.buf.String()
	b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		var rec map[string]any
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}
