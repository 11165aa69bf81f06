package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestLoopbackFallback: an agent that may not route Flycast addresses (not root, or told
// so) serves apps on one loopback port, routed by "Host: <app>.flycast".
func TestLoopbackFallback(t *testing.T) {
	needEngine(t)
	e := newEnv(t)
	port := freePort(t)
	e.extraEnv = []string{"HANGAR_FLYCAST_MODE=loopback", fmt.Sprintf("HANGAR_LOOPBACK_ADDR=127.0.0.1:%d", port)}
	name, dir := launchApp(t, e, images.hello, "")
	r := e.must(dir, "deploy", "--ha=false", "--wait-timeout", "60s")
	if want := fmt.Sprintf("curl -H 'Host: %s.flycast' http://127.0.0.1:%d/", name, port); !strings.Contains(r.stderr, want) {
		t.Errorf("deploy does not say how to reach the app (%q):\n%s", want, r.stderr)
	}
	id := machines(t, e, dir)[0].ID

	url := fmt.Sprintf("http://127.0.0.1:%d/?format=json", port)
	if code, body := getHost(t, url, name+".flycast"); code != 200 || !strings.Contains(body, `"server_name":"`+id+`"`) {
		t.Errorf("Host %s.flycast: %d %s", name, code, body)
	}
	if code, body := getHost(t, url, "nope.flycast"); code != 404 || !strings.Contains(body, "nope.flycast") {
		t.Errorf("unknown host: %d %q, want 404 naming it", code, body)
	}
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func getHost(t *testing.T, url, host string) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Host = host
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s (Host %s): %v", url, host, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
