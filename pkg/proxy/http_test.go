package proxy

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestForceHTTPS(t *testing.T) {
	tests := []struct {
		name       string
		force      bool
		host, path string
		wantCode   int
		wantLoc    string
	}{
		{"on", true, "flycast-demo.flycast", "/a/b?c=d", 301, "https://flycast-demo.flycast/a/b?c=d"},
		{"on drops the port", true, "flycast-demo.flycast:8080", "/", 301, "https://flycast-demo.flycast/"},
		{"on keeps an IPv6 host bracketed", true, "[fdaa:0:18:0:1::7]:80", "/x", 301, "https://[fdaa:0:18:0:1::7]/x"},
		{"off", false, "flycast-demo.flycast", "/a", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
			svc := webService()
			svc.ForceHTTPS = tt.force
			h := newHarness(t, svc, fm)
			req, _ := http.NewRequest(http.MethodGet, h.url+tt.path, nil)
			req.Host = tt.host
			resp, _ := h.do(req)
			if resp.StatusCode != tt.wantCode || resp.Header.Get("Location") != tt.wantLoc {
				t.Fatalf("got %d Location %q, want %d %q", resp.StatusCode, resp.Header.Get("Location"), tt.wantCode, tt.wantLoc)
			}
			wantStarts := map[bool]int{true: 0, false: 1}[tt.force] // a redirect never wakes the app
			if starts, _ := fm.counts(); starts != wantStarts {
				t.Errorf("Start called %d times, want %d", starts, wantStarts)
			}
		})
	}
}

// echoHeaders answers with the request's Host and headers as JSON, plus a
// Via of its own.
func echoHeaders(m *fakeMachine) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Via", "1.1 app")
		w.Header().Set("Fly-Request-Id", "spoofed-by-app")
		_ = json.NewEncoder(w).Encode(map[string]any{"host": r.Host, "header": r.Header})
	})
}

func TestForwardedHeaders(t *testing.T) {
	fm := newFakeMachines(t, httpApp(echoHeaders), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	req, _ := http.NewRequest(http.MethodGet, h.url+"/", nil)
	req.Host = "flycast-demo.flycast"
	req.Header.Set("X-Forwarded-For", "203.0.113.7")
	req.Header.Set("Fly-Client-IP", "198.51.100.1") // a client cannot choose its own
	req.Header.Set("Via", "1.1 laptop")
	resp, body := h.do(req)
	var got struct {
		Host   string
		Header http.Header
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%d %q: %v", resp.StatusCode, body, err)
	}
	id := resp.Header.Get("Fly-Request-Id")
	want := map[string]string{
		"X-Forwarded-For":   "203.0.113.7, 127.0.0.1",
		"X-Forwarded-Proto": "http",
		"X-Forwarded-Port":  "80",
		"Fly-Client-Ip":     "127.0.0.1",
		"Fly-Request-Id":    id,
		"Via":               "1.1 laptop, 1.1 hangar",
	}
	for k, v := range want {
		if g := strings.Join(got.Header.Values(k), ", "); g != v {
			t.Errorf("request header %s = %q, want %q", k, g, v)
		}
	}
	if got.Host != "flycast-demo.flycast" {
		t.Errorf("Host %q, want the client's", got.Host)
	}
	if len(id) != 24 || resp.Header.Values("Fly-Request-Id")[0] != id || len(resp.Header.Values("Fly-Request-Id")) != 1 {
		t.Errorf("response Fly-Request-Id %q", resp.Header.Values("Fly-Request-Id"))
	}
	if v := strings.Join(resp.Header.Values("Via"), ", "); v != "1.1 app, 1.1 hangar" {
		t.Errorf("response Via %q", v)
	}
}

func TestStreamingResponsePassesThroughAtOnce(t *testing.T) {
	more := make(chan struct{})
	stream := func(m *fakeMachine) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = fmt.Fprintln(w, "event: first")
			http.NewResponseController(w).Flush()
			<-more
			_, _ = fmt.Fprintln(w, "event: second")
		})
	}
	fm := newFakeMachines(t, httpApp(stream), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	resp, err := h.client.Get(h.url + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// The second event is only written once the first reached the client.
	if got := <-lines; got != "event: first" {
		t.Fatalf("first line %q", got)
	}
	close(more)
	if got := <-lines; got != "event: second" {
		t.Fatalf("second line %q", got)
	}
}

// crashy answers "/crash" by dropping the connection without a response.
func crashy(m *fakeMachine) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/crash" {
			c, _, _ := http.NewResponseController(w).Hijack()
			_ = c.Close()
			return
		}
		_, _ = fmt.Fprintf(w, "hello from %s", m.id)
	})
}

func TestMachineCrashingMidRequestIs502(t *testing.T) {
	fm := newFakeMachines(t, httpApp(crashy), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	resp, body := h.get("/crash")
	want := "app flycast-demo: machine 3d8d9e3f failed during the request: EOF\n"
	if resp.StatusCode != 502 || body != want {
		t.Fatalf("got %d %q, want 502 %q", resp.StatusCode, body, want)
	}
	if resp, body := h.get("/"); resp.StatusCode != 200 {
		t.Fatalf("next request: %d %q", resp.StatusCode, body)
	}
}

// TestRefusedDialIsRetriedNotDropped: a machine listed as started that refuses the dial
// (stopped behind the proxy's back) costs the request nothing: nothing reached the
// machine, so the request waits while the proxy probes it, and is served once it listens.
func TestRefusedDialIsRetriedNotDropped(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	fm.set(func(f *fakeMachines) { f.ms[0].state = StateStarted }) // listed as started, nothing listens
	h := newHarness(t, webService(), fm)
	first := h.goGet("/")
	waitFor(t, "the request to wait for the probe", func() bool { return h.p.Metrics().QueueDepth == 1 })
	fm.runNow("3d8d9e3f")
	if r := h.receive(first); r.code != 200 || r.body != "hello from 3d8d9e3f" {
		t.Fatalf("after it came back: %d %q", r.code, r.body)
	}
	if starts, _ := fm.counts(); starts != 0 {
		t.Errorf("Start called %d times; a listed-as-started machine is only dialed", starts)
	}
}

func TestHostRoutingOnLoopback(t *testing.T) {
	fm := newFakeMachines(t, httpApp(echoHeaders), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	h.cat.removeAddr(h.addr) // nothing at the address: route by Host
	alt := h.svc
	alt.Port = 8080
	h.cat.addHost("flycast-demo.flycast:80", h.svc)
	h.cat.addHost("flycast-demo.flycast:8080", alt)

	tests := []struct{ host, wantPort string }{
		{"Flycast-Demo.flycast", "80"},
		{"flycast-demo.flycast.", "80"},
		{"flycast-demo.flycast:8080", "8080"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(http.MethodGet, h.url+"/", nil)
		req.Host = tt.host
		resp, body := h.do(req)
		if resp.StatusCode != 200 || !strings.Contains(body, `"X-Forwarded-Port":["`+tt.wantPort+`"]`) {
			t.Errorf("Host %s: %d %s", tt.host, resp.StatusCode, body)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, h.url+"/", nil)
	req.Host = "nope.flycast"
	resp, body := h.do(req)
	if want := "no app for host \"nope.flycast\" on port 80\n"; resp.StatusCode != 404 || body != want {
		t.Errorf("unknown host: %d %q, want 404 %q", resp.StatusCode, body, want)
	}
}

func TestWebSocketPassesThroughAndKeepsTheMachineAwake(t *testing.T) {
	fm := newFakeMachines(t, httpApp(websocketEcho), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	c, err := net.Dial("tcp", h.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	br := upgrade(t, c)
	echo(t, c, br, "hello over the socket")

	// Idle for ten idle timeouts, but the socket is open: no stop.
	for range 10 {
		h.clock.Advance(h.svc.IdleTimeout)
	}
	if _, stops := fm.counts(); stops != 0 || h.machine("3d8d9e3f").stopping {
		t.Fatalf("machine stopped while a WebSocket was open")
	}
	echo(t, c, br, "still here")
	_ = c.Close()
	waitFor(t, "the socket's lease to end", h.settled)
	h.clock.Advance(h.svc.IdleTimeout)
	waitFor(t, "the idle stop", func() bool { _, stops := fm.counts(); return stops == 1 })
}

// upgrade performs a hand-rolled WebSocket handshake through the proxy.
func upgrade(t *testing.T, c net.Conn) *bufio.Reader {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, err := fmt.Fprint(c, "GET /ws HTTP/1.1\r\nHost: flycast-demo.flycast\r\nConnection: Upgrade\r\n"+
		"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 101 || resp.Header.Get("Sec-WebSocket-Accept") != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("handshake: %d %v", resp.StatusCode, resp.Header)
	}
	return br
}

func echo(t *testing.T, c net.Conn, br *bufio.Reader, msg string) {
	t.Helper()
	if _, err := fmt.Fprintln(c, msg); err != nil {
		t.Fatal(err)
	}
	got, err := br.ReadString('\n')
	if err != nil || got != msg+"\n" {
		t.Fatalf("echo: %q %v", got, err)
	}
}

// websocketEcho completes a WebSocket handshake by hand, then echoes bytes.
func websocketEcho(m *fakeMachine) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, rw, ok := acceptWebSocket(w, r)
		if !ok {
			return
		}
		defer func() { _ = c.Close() }()
		for {
			line, err := rw.ReadString('\n')
			if err != nil {
				return
			}
			_, _ = rw.WriteString(line)
			_ = rw.Flush()
		}
	})
}

// acceptWebSocket answers a WebSocket handshake by hand and takes the connection over.
func acceptWebSocket(w http.ResponseWriter, r *http.Request) (net.Conn, *bufio.ReadWriter, bool) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		http.Error(w, "want a WebSocket", http.StatusBadRequest)
		return nil, nil, false
	}
	sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	c, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, nil, false
	}
	_, _ = fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: %s\r\n\r\n", base64.StdEncoding.EncodeToString(sum[:]))
	_ = rw.Flush()
	return c, rw, true
}

// TestStoppedBehindTheProxysBackIsWokenNotDropped: `hangar machine stop` while the proxy
// still trusts the machine as started; the next request wakes it instead of getting a 502.
func TestStoppedBehindTheProxysBackIsWokenNotDropped(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	if resp, body := h.get("/"); resp.StatusCode != 200 {
		t.Fatalf("first request: %d %q", resp.StatusCode, body)
	}
	if err := fm.Stop(context.Background(), "flycast-demo", "3d8d9e3f", false); err != nil {
		t.Fatal(err)
	}
	if resp, body := h.get("/"); resp.StatusCode != 200 || body != "hello from 3d8d9e3f" {
		t.Fatalf("request after an outside stop: %d %q, want 200", resp.StatusCode, body)
	}
	if starts, _ := fm.counts(); starts != 2 {
		t.Errorf("Start called %d times, want 2 (the first wake and the one after the stop)", starts)
	}
}

// TestGoingAwaySendsCloseFrame: before the daemon stops or replaces a machine, its
// WebSocket clients get a close frame (1001, going away) and the connection ends.
func TestGoingAwaySendsCloseFrame(t *testing.T) {
	fm := newFakeMachines(t, httpApp(websocketEcho), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	c, err := net.Dial("tcp", h.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := upgrade(t, c)
	echo(t, c, br, "before the stop")
	h.p.GoingAway("flycast-demo", "other-machine") // someone else's: nothing happens
	echo(t, c, br, "still open")

	h.p.GoingAway("flycast-demo", "3d8d9e3f")
	frame := make([]byte, 4)
	if _, err := io.ReadFull(br, frame); err != nil || !bytes.Equal(frame, []byte{0x88, 0x02, 0x03, 0xe9}) {
		t.Fatalf("read % x, %v; want a close frame with status 1001", frame, err)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("after the close frame: %v, want the connection closed", err)
	}
	waitFor(t, "the socket's lease to end", h.settled)
}

// echoBody answers with the request's body and closes every connection after its
// response, so the proxy keeps no pooled connection to a machine that is then stopped.
func echoBody(m *fakeMachine) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		_, _ = io.Copy(w, r.Body)
	})
}

// TestRetriedRequestKeepsItsBody: a POST to a machine stopped behind the proxy's back
// meets a refused dial, so the proxy wakes the machine and sends the request again,
// with the body the client sent, not a closed one.
func TestRetriedRequestKeepsItsBody(t *testing.T) {
	fm := newFakeMachines(t, httpApp(echoBody), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	if resp, body := h.get("/"); resp.StatusCode != 200 {
		t.Fatalf("first request: %d %q", resp.StatusCode, body)
	}
	waitFor(t, "the first lease to end", h.settled)
	if err := fm.Stop(context.Background(), "flycast-demo", "3d8d9e3f", false); err != nil {
		t.Fatal(err)
	}
	const payload = "a body the machine must receive whole"
	req, _ := http.NewRequest(http.MethodPost, h.url+"/submit", strings.NewReader(payload))
	if resp, body := h.do(req); resp.StatusCode != 200 || body != payload {
		t.Fatalf("POST after an outside stop: %d %q, want 200 %q", resp.StatusCode, body, payload)
	}
	if starts, _ := fm.counts(); starts != 2 {
		t.Errorf("Start called %d times, want 2 (the first wake and the one after the stop)", starts)
	}
}

// websocketFlood accepts a WebSocket and sends bytes until quit, however slowly the
// client reads; stalled is closed once a write waited 100 ms: every buffer between the
// machine and the client is full, and the proxy's write to the client is stuck.
func websocketFlood(stalled, quit chan struct{}) func(*fakeMachine) http.Handler {
	var once sync.Once
	return func(m *fakeMachine) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, _, ok := acceptWebSocket(w, r)
			if !ok {
				return
			}
			defer func() { _ = c.Close() }()
			chunk := make([]byte, 64<<10)
			for {
				select {
				case <-quit:
					return
				default:
				}
				_ = c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
				_, err := c.Write(chunk)
				var ne net.Error
				switch {
				case errors.As(err, &ne) && ne.Timeout():
					once.Do(func() { close(stalled) })
				case err != nil:
					return
				}
			}
		})
	}
}

// TestGoingAwayDoesNotWaitForAClientThatDoesNotRead: a WebSocket client that stopped
// reading (its receive buffer full, the proxy's write of the machine's bytes stuck)
// holds GoingAway up for its write deadline at most, and its connection is closed
// regardless, so a stop, destroy or deploy goes on.
func TestGoingAwayDoesNotWaitForAClientThatDoesNotRead(t *testing.T) {
	stalled, quit := make(chan struct{}), make(chan struct{})
	fm := newFakeMachines(t, httpApp(websocketFlood(stalled, quit)), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	t.Cleanup(func() { close(quit) }) // first: lets the machine's handler end
	c, err := net.Dial("tcp", h.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := upgrade(t, c)
	select {
	case <-stalled:
	case <-time.After(10 * time.Second):
		t.Fatal("the machine's writes never stalled")
	}
	returned := make(chan struct{})
	go func() {
		h.p.GoingAway("flycast-demo", "3d8d9e3f")
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("GoingAway did not return while its client was not reading")
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, br); err != nil {
		t.Errorf("reading after GoingAway: %v, want the connection closed", err)
	}
	waitFor(t, "the socket's lease to end", h.settled)
}
