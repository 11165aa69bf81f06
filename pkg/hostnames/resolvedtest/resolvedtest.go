// Package resolvedtest runs a private D-Bus bus with a systemd-resolved of the test's own, which records the calls it gets, for tests of split DNS on hosts that run no resolved.
package resolvedtest

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

const (
	resolveName  = "org.freedesktop.resolve1"
	resolvePath  = dbus.ObjectPath("/org/freedesktop/resolve1")
	resolveIface = "org.freedesktop.resolve1.Manager"
)

// linkAddr and linkDomain are the D-Bus structs (iay) and (sb) of SetLinkDNS and SetLinkDomains.
type linkAddr struct {
	Family  int32
	Address []byte
}

type linkDomain struct {
	Domain      string
	RoutingOnly bool
}

const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// Bus starts a private dbus-daemon for one test and returns its address. Without dbus-daemon
// the test fails in CI, where scripts/test-deps.sh installs it, and is skipped elsewhere.
func Bus(t testing.TB) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("dbus-daemon is missing; scripts/test-deps.sh installs it")
		}
		t.Skip("dbus-daemon is missing; scripts/test-deps.sh installs it")
	}
	dir, err := os.MkdirTemp("", "hangar-bus-") // short: a socket path has at most 107 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, busConfig, filepath.Join(dir, "bus")), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--print-address")
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("starting dbus-daemon: %v: %s", err, stderr.String())
	}
	return strings.TrimSpace(addr)
}

// Connect connects to the bus at addr until the test ends.
func Connect(t testing.TB, addr string) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Fake is a systemd-resolved of the test's own: it records the calls it gets, as resolvectl would show them.
type Fake struct {
	conn *dbus.Conn
	mu   sync.Mutex
	got  []string
	fail map[string]*dbus.Error // method → the error it returns
}

// Start connects to the bus at addr and serves org.freedesktop.resolve1 there, without the methods in omit.
func Start(t testing.TB, addr string, omit ...string) *Fake {
	t.Helper()
	f := New(t, addr, omit...)
	f.Own(t)
	return f
}

// New is Start without taking the name yet: set failures with FailWith first, then Own,
// so that the calls made the moment the service appears already see them.
func New(t testing.TB, addr string, omit ...string) *Fake {
	t.Helper()
	f := &Fake{conn: Connect(t, addr), fail: map[string]*dbus.Error{}}
	methods := f.methods()
	for _, m := range omit {
		delete(methods, m)
	}
	if err := f.conn.ExportMethodTable(methods, resolvePath, resolveIface); err != nil {
		t.Fatal(err)
	}
	return f
}

// Own takes the name org.freedesktop.resolve1, as a starting systemd-resolved does.
func (f *Fake) Own(t testing.TB) {
	t.Helper()
	if reply, err := f.conn.RequestName(resolveName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("requesting %s: %v %v", resolveName, reply, err)
	}
}

// Stop gives up the name, as a stopping systemd-resolved does.
func (f *Fake) Stop(t testing.TB) {
	t.Helper()
	if _, err := f.conn.ReleaseName(resolveName); err != nil {
		t.Fatal(err)
	}
}

func (f *Fake) methods() map[string]any {
	link := func(method string) func(int32, string) *dbus.Error {
		return func(i int32, v string) *dbus.Error { return f.record(fmt.Sprintf("%s %d %s", method, i, v)) }
	}
	return map[string]any{
		"SetLinkDNS": func(i int32, addrs []linkAddr) *dbus.Error {
			var s []string
			for _, a := range addrs {
				ip, _ := netip.AddrFromSlice(a.Address)
				s = append(s, fmt.Sprintf("%d:%v", a.Family, ip))
			}
			return f.record(fmt.Sprintf("SetLinkDNS %d %s", i, strings.Join(s, " ")))
		},
		"SetLinkDomains": func(i int32, domains []linkDomain) *dbus.Error {
			var s []string
			for _, d := range domains {
				if d.RoutingOnly {
					d.Domain = "~" + d.Domain // as resolvectl writes a routing-only domain
				}
				s = append(s, d.Domain)
			}
			return f.record(fmt.Sprintf("SetLinkDomains %d %s", i, strings.Join(s, " ")))
		},
		"SetLinkDefaultRoute": func(i int32, b bool) *dbus.Error { return f.record(fmt.Sprintf("SetLinkDefaultRoute %d %v", i, b)) },
		"SetLinkLLMNR":        link("SetLinkLLMNR"),
		"SetLinkMulticastDNS": link("SetLinkMulticastDNS"),
		"SetLinkDNSSEC":       link("SetLinkDNSSEC"),
		"SetLinkDNSOverTLS":   link("SetLinkDNSOverTLS"),
		"FlushCaches":         func() *dbus.Error { return f.record("FlushCaches") },
		"RevertLink":          func(i int32) *dbus.Error { return f.record(fmt.Sprintf("RevertLink %d", i)) },
	}
}

func (f *Fake) record(call string) *dbus.Error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, call)
	method, _, _ := strings.Cut(call, " ")
	return f.fail[method]
}

// FailWith makes method answer the D-Bus error errName.
func (f *Fake) FailWith(method, errName string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = dbus.NewError(errName, []any{"failing as told"})
}

// Calls returns the calls recorded since the last time it was called.
func (f *Fake) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	got := f.got
	f.got = nil
	return got
}

// WaitCalls waits until f has recorded want, for calls made by a goroutine of the code under test.
func (f *Fake) WaitCalls(t testing.TB, want []string) {
	t.Helper()
	var got []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if got = append(got, f.Calls()...); len(got) >= len(want) {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// WaitUntil waits until the calls recorded so far satisfy done, and returns them all.
func (f *Fake) WaitUntil(t testing.TB, what string, done func(calls []string) bool) []string {
	t.Helper()
	var got []string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got = append(got, f.Calls()...); done(got) {
			return got
		}
	}
	t.Fatalf("timed out waiting for %s; calls:\n%s", what, strings.Join(got, "\n"))
	return nil
}
