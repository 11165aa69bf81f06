package hostnames

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/pkg/hostnames/resolvedtest"
)

var hangarDNS = addrs("fdaa:3b1e:9c4::3")

// applied is every call Publish makes for domains on link 7.
func applied(domains string) []string {
	return []string{
		"SetLinkDNS 7 10:fdaa:3b1e:9c4::3",
		"SetLinkDomains 7 " + domains,
		"SetLinkDefaultRoute 7 false",
		"SetLinkLLMNR 7 no",
		"SetLinkMulticastDNS 7 no",
		"SetLinkDNSSEC 7 no",
		"SetLinkDNSOverTLS 7 no",
		"FlushCaches",
	}
}

func newResolved(t *testing.T, addr string, report func(error)) *Resolved {
	t.Helper()
	r, err := NewResolved(connect(t, addr), 7, hangarDNS, report)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func TestNewResolved(t *testing.T) {
	conn := connect(t, testBus(t))
	tests := []struct {
		name    string
		ifindex int
		servers []netip.Addr
		want    []linkAddr
		err     string
	}{
		{"IPv6 and IPv4 servers", 7, addrs("fdaa::3", "10.0.0.3", "::ffff:10.0.0.4"), []linkAddr{
			{10, netip.MustParseAddr("fdaa::3").AsSlice()}, {2, []byte{10, 0, 0, 3}}, {2, []byte{10, 0, 0, 4}},
		}, ""},
		{"no link", 0, hangarDNS, nil, "link index 0 is not a link"},
		{"a link index beyond int32", 1 << 31, hangarDNS, nil, "is not a link"},
		{"no servers", 7, nil, nil, "no DNS server"},
		{"an unspecified server", 7, addrs("::"), nil, "invalid address"},
		{"a server with a zone", 7, addrs("fe80::3%eth0"), nil, "invalid address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewResolved(conn, tt.ifindex, tt.servers, nil)
			if err != nil {
				if tt.err == "" || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("NewResolved() error = %v, want %q", err, tt.err)
				}
				return
			}
			defer r.Close()
			if tt.err != "" {
				t.Fatalf("NewResolved() succeeded, want %q", tt.err)
			}
			if diff := cmp.Diff(tt.want, r.servers); diff != "" {
				t.Errorf("servers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolvedPublish(t *testing.T) {
	addr := testBus(t)
	fake := startFake(t, addr)
	r := newResolved(t, addr, nil)
	api := Entry{"api.internal", addrs("fdaa:0:b::2")}
	steps := []struct {
		name    string
		entries []Entry
		want    []string
		err     error
	}{
		{"nothing routes flycast alone", nil, applied("~flycast"), nil},
		{"an app routes its own .internal domain", demo, applied("~flycast ~demo.internal"), nil},
		{"the same entries call nothing", demo, nil, nil},
		{"a changed address only flushes the caches", []Entry{{"demo.flycast", addrs("fdaa::9")}, demo[1], demo[2]}, []string{"FlushCaches"}, nil},
		{"another app adds its domain", append(slices.Clone(demo), api), applied("~flycast ~api.internal ~demo.internal"), nil},
		{"a gone app loses its domain", []Entry{api}, applied("~flycast ~api.internal"), nil},
		{"a bad name calls nothing", []Entry{{"evil.com", addrs("fdaa::2")}}, nil, ErrInvalidName},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := r.Publish(s.entries); !errors.Is(err, s.err) {
				t.Fatalf("Publish() error = %v, want %v", err, s.err)
			}
			if diff := cmp.Diff(s.want, fake.Calls()); diff != "" {
				t.Errorf("calls mismatch (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("close reverts the link", func(t *testing.T) {
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"RevertLink 7"}, fake.Calls()); diff != "" {
			t.Errorf("calls mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestResolvedPublishErrors(t *testing.T) {
	tests := []struct {
		name, method, errName string
		omit                  []string
		want                  string // "" for success
	}{
		{"DNS servers refused", "SetLinkDNS", "org.freedesktop.DBus.Error.AccessDenied", nil, "setting the DNS servers of link 7: failing as told"},
		{"an unknown link", "SetLinkDomains", "org.freedesktop.resolve1.NoSuchLink", nil, "setting the routing domains of link 7"},
		{"DNSSEC refused", "SetLinkDNSSEC", "org.freedesktop.DBus.Error.AccessDenied", nil, "turning off DNSSEC of link 7"},
		{"flush refused", "FlushCaches", "org.freedesktop.DBus.Error.AccessDenied", nil, "flushing systemd-resolved's caches"},
		{"an old systemd-resolved without DNSSEC and DNS over TLS calls", "", "", []string{"SetLinkDNSSEC", "SetLinkDNSOverTLS"}, ""},
		{"an old systemd-resolved without a default route is an error", "", "", []string{"SetLinkDefaultRoute"}, "turning off the default route of link 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := testBus(t)
			fake := startFake(t, addr, tt.omit...)
			if tt.method != "" {
				fake.FailWith(tt.method, tt.errName)
			}
			err := newResolved(t, addr, nil).Publish(demo)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Publish() error = %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("no systemd-resolved", func(t *testing.T) {
		if err := newResolved(t, testBus(t), nil).Publish(demo); err == nil {
			t.Error("Publish() without systemd-resolved succeeded")
		}
	})
}

func TestResolvedReappliesAfterRestart(t *testing.T) {
	addr := testBus(t)
	first := startFake(t, addr)
	reports := make(chan error, 1)
	r := newResolved(t, addr, func(err error) { reports <- err })
	if err := r.Publish(demo); err != nil {
		t.Fatal(err)
	}
	first.WaitCalls(t, applied("~flycast ~demo.internal"))
	first.Stop(t)
	second := startFake(t, addr)
	second.WaitCalls(t, applied("~flycast ~demo.internal"))

	second.Stop(t)
	third := resolvedtest.New(t, addr)
	third.FailWith("SetLinkDNS", "org.freedesktop.resolve1.NoSuchLink") // before it appears
	third.Own(t)
	third.WaitCalls(t, []string{"SetLinkDNS 7 10:fdaa:3b1e:9c4::3"})
	select {
	case err := <-reports:
		if err == nil || !strings.Contains(err.Error(), "after systemd-resolved restarted") {
			t.Errorf("reported %v, want the failed re-apply", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the failed re-apply was never reported")
	}

	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	third.WaitCalls(t, []string{"RevertLink 7"})
	if got := append(first.Calls(), second.Calls()...); len(got) != 0 {
		t.Errorf("stopped services got calls %v", got)
	}
}

func TestResolvedClose(t *testing.T) {
	addr := testBus(t)
	fake := startFake(t, addr)
	r := newResolved(t, addr, nil)
	steps := []struct {
		name string
		do   func() error
		err  error
	}{
		{"close before publishing reverts nothing", r.Close, nil},
		{"close twice", r.Close, nil},
		{"publish after close", func() error { return r.Publish(demo) }, ErrClosed},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.do(); !errors.Is(err, s.err) {
				t.Fatalf("error = %v, want %v", err, s.err)
			}
			if got := fake.Calls(); len(got) != 0 {
				t.Errorf("calls %v, want none", got)
			}
		})
	}
	select {
	case <-r.stopped:
	default:
		t.Error("the watcher still runs after Close")
	}
}

func TestResolvedRunning(t *testing.T) {
	addr := testBus(t)
	conn := connect(t, addr)
	if ResolvedRunning(conn) {
		t.Error("ResolvedRunning() = true before the service started")
	}
	fake := startFake(t, addr)
	if !ResolvedRunning(conn) {
		t.Error("ResolvedRunning() = false while the service runs")
	}
	fake.Stop(t)
	if ResolvedRunning(conn) {
		t.Error("ResolvedRunning() = true after the service stopped")
	}
}

func TestSystemBus(t *testing.T) {
	tests := []struct {
		name, addr string
		ok         bool
	}{
		{"a bus", "", true},
		{"no bus", "unix:path=/nonexistent/hangar-test-bus", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.addr == "" {
				tt.addr = testBus(t)
			}
			t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", tt.addr)
			conn, err := SystemBus()
			if err == nil {
				conn.Close()
			}
			if (err == nil) != tt.ok {
				t.Errorf("SystemBus() error = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestRouteDomains(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
		want    []string
	}{
		{"flycast always", nil, []string{"flycast"}},
		{"a sleeping app keeps its .internal domain", []Entry{{"a.flycast", addrs("fdaa::2")}}, []string{"flycast", "a.internal"}},
		{"each app once, sorted", Names([]App{
			{Name: "zed", Machines: []Machine{{ID: "m1", Addr: netip.MustParseAddr("fdaa::5"), Started: true}}},
			{Name: "abe", Machines: []Machine{{ID: "m2", Addr: netip.MustParseAddr("fdaa::6")}}},
		}), []string{"flycast", "abe.internal", "zed.internal"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := table(tt.entries)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range routeDomains(lines) {
				if !d.RoutingOnly {
					t.Errorf("%s is not routing-only", d.Domain)
				}
				got = append(got, d.Domain)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("routeDomains() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
