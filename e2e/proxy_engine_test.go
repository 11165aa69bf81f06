package e2e

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCrashMidRequest: a machine that dies while answering gives that request a 502
// naming the machine; the next request wakes it again and is answered.
func TestCrashMidRequest(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	name, dir, id, addr := deployedApp(t, e, "")
	code, body := getHost(t, "http://["+addr+"]:80/crash", name+".flycast")
	if code != http.StatusBadGateway || !strings.Contains(body, id) {
		t.Errorf("request the machine died answering: %d %q, want 502 naming machine %s", code, body, id)
	}
	waitFor(t, "the crash to be recorded", func() bool { return machineByID(t, e, dir, id).State != "started" })
	if code, body := getHost(t, "http://["+addr+"]:80/?format=json", name+".flycast"); code != 200 || !strings.Contains(body, id) {
		t.Errorf("request after the crash: %d %q, want the machine woken again", code, body)
	}
}

// TestWebSocketHoldsMachineUp: an open WebSocket counts as traffic, so the machine is not
// stopped while it is open, however long the idle time has passed; once it closes, it is.
func TestWebSocketHoldsMachineUp(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	e.extraEnv = []string{"HANGAR_IDLE_TIMEOUT=2s"}
	name, dir, id, addr := deployedApp(t, e, "")
	ws := openWebSocket(t, addr, name+".flycast")
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		if m := machineByID(t, e, dir, id); m.State != "started" {
			t.Fatalf("the machine was %s with a WebSocket open", m.State)
		}
	}
	ws.Close()
	waitFor(t, "the machine to stop once the WebSocket closed", func() bool { return machineByID(t, e, dir, id).State == "stopped" })
}

func openWebSocket(t *testing.T, addr, host string) net.Conn {
	conn, err := net.DialTimeout("tcp", "["+addr+"]:80", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte("GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, "101") {
		t.Fatalf("WebSocket upgrade through the proxy: %q %v", status, err)
	}
	conn.SetReadDeadline(time.Time{})
	return conn
}

// TestRequestRacingStop: requests sent just as the idle time runs out, at steps of 30 ms
// around it, land before, during and after the machine's stop; every one is answered
// (one arriving during the stop waits for it and wakes the machine again).
func TestRequestRacingStop(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	e.extraEnv = []string{"HANGAR_IDLE_TIMEOUT=1s"}
	name, dir := launchApp(t, e, images.hello, "")
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	url := "http://[" + flycastAddr(t, e, dir) + "]:80/"
	for step := range 10 {
		if code, body := getHost(t, url, name+".flycast"); code != 200 {
			t.Fatalf("step %d, first request: %d %q", step, code, body)
		}
		time.Sleep(time.Second + time.Duration(step*30)*time.Millisecond) // the idle time, then a little more each step
		if code, body := getHost(t, url, name+".flycast"); code != 200 {
			t.Errorf("step %d: request %d ms after the idle time: %d %q", step, step*30, code, body)
		}
	}
}

// TestSoftAndHardLimits: three machines (one per process group) behind one service with
// soft_limit = hard_limit = 1. Four slow requests at once wake all three machines (each
// request finds the running ones at their soft limit) and the fourth waits for a free one
// (hard limit) instead of crowding a machine; all four are answered.
func TestSoftAndHardLimits(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	name, dir := launchApp(t, e, images.hello, "[processes]\n  app = '--port 80'\n  web = '--port 80'\n  api = '--port 80'\n\n"+
		"[http_service.concurrency]\n  type = 'requests'\n  soft_limit = 1\n  hard_limit = 1")
	flyToml := dir + "/fly.toml"
	os.WriteFile(flyToml, []byte(strings.Replace(readFile(t, flyToml), "processes = ['app']", "processes = ['app', 'web', 'api']", 1)), 0o644)
	e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	ms := machines(t, e, dir)
	if len(ms) != 3 {
		t.Fatalf("want 3 machines, got %+v", ms)
	}
	for _, m := range ms {
		e.must(dir, "machine", "stop", m.ID)
	}
	url := "http://[" + flycastAddr(t, e, dir) + "]:80/slow?ms=1500&format=json"
	bodies := make(chan string, 4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, body := getHost(t, url, name+".flycast")
			if code != 200 {
				t.Errorf("slow request: %d %q", code, body)
			}
			bodies <- body
		}()
	}
	wg.Wait()
	close(bodies)
	served := map[string]int{}
	for b := range bodies {
		for _, m := range ms {
			if strings.Contains(b, `"server_name":"`+m.ID+`"`) {
				served[m.ID]++
			}
		}
	}
	if len(served) != 3 {
		t.Errorf("requests were served by %d machines (%v), want all 3 woken by the soft limit", len(served), served)
	}
}

// TestStopClosesWebSocketsFirst: hangar machine stop with a WebSocket open sends the client a
// close frame (1001, going away) before the machine goes.
func TestStopClosesWebSocketsFirst(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	name, dir, id, addr := deployedApp(t, e, "")
	ws := openWebSocket(t, addr, name+".flycast")
	defer ws.Close()
	e.must(dir, "machine", "stop", id)
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	frame := make([]byte, 4)
	if _, err := io.ReadFull(ws, frame); err != nil || !bytes.Equal(frame, []byte{0x88, 0x02, 0x03, 0xe9}) {
		t.Errorf("the client read % x, %v; want a close frame with status 1001", frame, err)
	}
}
