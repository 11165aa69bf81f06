package proxy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

var testOrg = netip.MustParsePrefix("fdaa:1:1::/48")

func TestAdmit(t *testing.T) {
	tests := []struct {
		name, caller string
		org          netip.Prefix
		refused      bool
	}{
		{"a machine of the app's organization", "fdaa:1:1:a7b::2", testOrg, false},
		{"another organization's machine", "fdaa:2:2:a7b::2", testOrg, true},
		{"another organization's Flycast address", "fdaa:2:2:0:1::2", testOrg, true},
		{"the same network id past the /48", "fdaa:1:2:a7b::2", testOrg, true},
		{"IPv6 loopback", "::1", testOrg, false},
		{"IPv4 loopback, mapped", "::ffff:127.0.0.1", testOrg, false},
		{"a host address outside fdaa::/16", "2001:db8::1", testOrg, false},
		{"a service that names no organization", "fdaa:2:2:a7b::2", netip.Prefix{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := admit(Service{App: "a", Org: tt.org}, netip.MustParseAddr(tt.caller))
			if refused := errors.Is(err, ErrOtherOrg); refused != tt.refused {
				t.Errorf("admit(%s) = %v, want refused %v", tt.caller, err, tt.refused)
			}
		})
	}
}

// fromAddr is a connection that claims to come from another address, as a machine's
// connection to a Flycast address does.
type fromAddr struct {
	*net.TCPConn
	remote netip.AddrPort
}

func (c fromAddr) RemoteAddr() net.Addr { return net.TCPAddrFromAddrPort(c.remote) }

// handOffFrom hands the proxy a connection at local whose client is remote.
func (h *harness) handOffFrom(local, remote netip.AddrPort) *net.TCPConn {
	h.t.Helper()
	client, server := tcpPair(h.t)
	if err := h.p.Serve(fromAddr{server, remote}, local); err != nil {
		h.t.Fatal(err)
	}
	return client
}

var otherOrgMachine = netip.MustParseAddrPort("[fdaa:2:2:a7b::2]:40000")

func TestOtherOrgHTTPCallerGets403(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	svc := webService()
	svc.Org = testOrg
	h := newHarness(t, svc, fm)
	h.cat.addAddr(flycastAt(80), h.svc)
	c := h.handOffFrom(flycastAt(80), otherOrgMachine)
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: flycast-demo.flycast\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || strings.Count(string(body), "\n") != 1 || !strings.Contains(string(body), "fdaa:2:2:a7b::2 is outside it") {
		t.Errorf("got %d %q, want 403 and a one-line reason", resp.StatusCode, body)
	}
	if starts, _ := fm.counts(); starts != 0 {
		t.Errorf("the app was started %d times for a refused caller", starts)
	}
}

func TestOtherOrgTCPCallerIsClosed(t *testing.T) {
	fm := newFakeMachines(t, echoApp, netip.MustParseAddr("::1"))
	svc := tcpService()
	svc.Org = testOrg
	h := newHarness(t, svc, fm)
	h.cat.addAddr(flycastAt(5432), h.svc)
	c := h.handOffFrom(flycastAt(5432), otherOrgMachine)
	_, _ = io.WriteString(c, "ping")
	if n, err := c.Read(make([]byte, 4)); err == nil {
		t.Fatalf("read %d bytes from a refused connection", n)
	}
	if starts, _ := fm.counts(); starts != 0 {
		t.Errorf("the app was started %d times for a refused caller", starts)
	}
	recs := h.logs.records("closing connection")
	if len(recs) != 1 || !strings.Contains(fmt.Sprint(recs[0]["err"]), ErrOtherOrg.Error()) {
		t.Errorf("the log does not say why: %v", recs)
	}

	ownMachine := netip.MustParseAddrPort("[fdaa:1:1:a7b::2]:40000")
	c = h.handOffFrom(flycastAt(5432), ownMachine)
	if _, err := io.WriteString(c, "ping"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("a caller of the organization: echo %q %v", buf, err)
	}
}
