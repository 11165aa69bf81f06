package proxy

import (
	"net"
	"slices"
	"testing"
	"time"
)

// TestUnlistenFreesTheAddress: after Unlisten nothing answers on the address and it can
// be bound again; a second Unlisten finds nothing.
func TestUnlistenFreesTheAddress(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	if resp, _ := h.get("/"); resp.StatusCode != 200 {
		t.Fatalf("before Unlisten: %s", resp.Status)
	}
	if !h.p.Unlisten(h.addr) {
		t.Fatal("Unlisten did not find the listener")
	}
	if c, err := net.DialTimeout("tcp", h.addr.String(), time.Second); err == nil {
		c.Close()
		t.Fatal("the address still accepts connections")
	}
	ln, err := net.Listen("tcp", h.addr.String())
	if err != nil {
		t.Fatalf("the address is not free again: %v", err)
	}
	ln.Close()
	if h.p.Unlisten(h.addr) {
		t.Error("a second Unlisten found a listener")
	}
	time.Sleep(50 * time.Millisecond) // let the accept loop end, as it would log then
	if got := h.logs.records("proxy listener stopped"); len(got) > 0 {
		t.Errorf("Unlisten logged a stopped listener: %v", got)
	}
}

// TestForgetDropsTheApp: Forget removes the app's state; a later request builds it anew.
func TestForgetDropsTheApp(t *testing.T) {
	fm := newFakeMachines(t, httpApp(hello), loopbacks(1)...)
	h := newHarness(t, webService(), fm)
	h.get("/")
	if !slices.Contains(h.p.Apps(), h.svc.App) {
		t.Fatalf("apps = %v, want %s", h.p.Apps(), h.svc.App)
	}
	h.p.Forget(h.svc.App)
	if slices.Contains(h.p.Apps(), h.svc.App) {
		t.Fatalf("after Forget apps = %v", h.p.Apps())
	}
	if resp, _ := h.get("/"); resp.StatusCode != 200 {
		t.Fatalf("after Forget: %s", resp.Status)
	}
}
