package flycast

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/dns"
	"github.com/hangarhq/hangar/pkg/proxy"
	"github.com/hangarhq/hangar/pkg/state"
)

var (
	webFlycast = netip.MustParseAddr("fdaa:0:1:0:1::2")
	web1       = dns.MachineRecord{ID: "3d8d9e3f", Addr: netip.MustParseAddr("fdaa:0:1:a7b:1::2"), Started: true}
	web2       = dns.MachineRecord{ID: "5683d2e4", Addr: netip.MustParseAddr("fdaa:0:1:a7b:1::3")}
)

// connectSnapshot is an organization with a woken app (web: one machine started, one
// stopped), a sleeping one (db), one without address or machines (bare), and an app of
// another organization.
func connectSnapshot() *snapshot {
	return &snapshot{apps: map[string]appEntry{
		"web": {org: "personal", flycast: []netip.Addr{webFlycast}, record: dns.AppRecord{Machines: []dns.MachineRecord{web2, web1}}},
		"db": {org: "personal", flycast: []netip.Addr{netip.MustParseAddr("fdaa:0:1:0:1::3")},
			record: dns.AppRecord{Machines: []dns.MachineRecord{{ID: "9e784e1a", Addr: netip.MustParseAddr("fdaa:0:1:a7b:1::4")}}}},
		"bare":  {org: "personal"},
		"other": {org: "acme", flycast: []netip.Addr{netip.MustParseAddr("fdaa:0:2:0:1::2")}},
	}}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		host string
		want target
		kind error
		msg  string
	}{
		{host: "web.flycast", want: target{app: "web", flycast: webFlycast}},
		{host: "WEB.Flycast.", want: target{app: "web", flycast: webFlycast}},
		{host: "fdaa:0:1:0:1::2", want: target{app: "web", flycast: webFlycast}},
		{host: "[fdaa:0:1:0:1::2]", want: target{app: "web", flycast: webFlycast}},
		{host: "db.flycast", want: target{app: "db", flycast: netip.MustParseAddr("fdaa:0:1:0:1::3")}},
		{host: "web.internal", want: target{app: "web", machine: web1}},
		{host: "3d8d9e3f.vm.web.internal", want: target{app: "web", machine: web1}},
		{host: "fdaa:0:1:a7b:1::2", want: target{app: "web", machine: web1}},
		{host: "bare.flycast", kind: ErrNoTarget, msg: "app bare has no Flycast address: allocate one with hangar ips allocate-v6 --private -a bare"},
		{host: "other.flycast", kind: state.ErrAppNotFound, msg: "no app other in organization personal"},
		{host: "nope.internal", kind: state.ErrAppNotFound, msg: "no app nope in organization personal"},
		{host: "db.internal", kind: ErrAsleep, msg: "app db is asleep (no started machine answers db.internal): use db.flycast, which wakes it"},
		{host: "5683d2e4.vm.web.internal", kind: ErrAsleep, msg: "machine 5683d2e4 of app web is not started: use web.flycast, which wakes the app"},
		{host: "fdaa:0:1:a7b:1::3", kind: ErrAsleep, msg: "machine 5683d2e4 of app web is not started: use web.flycast, which wakes the app"},
		{host: "ffff.vm.web.internal", kind: ErrNoTarget, msg: "app web has no machine ffff"},
		{host: "bare.internal", kind: ErrNoTarget, msg: "app bare has no machines: deploy it first"},
		{host: "fdaa:0:2:0:1::2", kind: ErrNoTarget, msg: "no app or machine of organization personal has the address fdaa:0:2:0:1::2"},
		{host: "127.0.0.1", kind: ErrBadHost, msg: "remote host 127.0.0.1 is not a private address: use " + hostForms},
		{host: "localhost", kind: ErrBadHost, msg: `remote host "localhost" is not one hangar proxy reaches: use ` + hostForms},
		{host: "iad.web.internal", kind: ErrBadHost, msg: `remote host "iad.web.internal" is not one hangar proxy reaches: use ` + hostForms},
		{host: "a.web.flycast", kind: ErrBadHost, msg: `remote host "a.web.flycast" is not one hangar proxy reaches: use ` + hostForms},
	}
	s := connectSnapshot()
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			got, err := s.resolve("personal", tt.host)
			if tt.kind == nil {
				if err != nil || got != tt.want {
					t.Fatalf("resolve = %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			if !errors.Is(err, tt.kind) || err.Error() != tt.msg {
				t.Fatalf("resolve error = %v, want %q (%v)", err, tt.msg, tt.kind)
			}
		})
	}
}

func TestNoService(t *testing.T) {
	svcs := map[uint16]proxy.Service{443: {}, 80: {}, 5432: {}}
	if err := noService("web", 81, svcs); !errors.Is(err, ErrNoTarget) || err.Error() != "app web has no service on port 81: its service ports are 80, 443, 5432" {
		t.Errorf("unknown port: %v", err)
	}
	want := "app web has no services in its deployed fly.toml ([http_service] or [[services]]): reach a machine's own port with web.internal"
	if err := noService("web", 80, nil); err == nil || err.Error() != want {
		t.Errorf("no services: %v", err)
	}
}

// TestConnectHandsOffToTheProxy: a .flycast host goes to the proxy as a connection to the
// app's Flycast address and service port, which it serves from the machine's internal
// port, with half-closes passed on both ways.
func TestConnectHandsOffToTheProxy(t *testing.T) {
	echo := echoServer(t)
	svc := proxy.Service{App: "web", Port: 5432, InternalPort: echo.Port(), AutoStop: proxy.AutoStopOff}
	s := connectSnapshot()
	s.byHost = map[string]map[uint16]proxy.Service{"web": {5432: svc}}
	s.byAddr = map[netip.AddrPort]proxy.Service{netip.AddrPortFrom(webFlycast, 5432): svc}
	p := &Plane{ix: &Index{}}
	p.ix.snap.Store(s)
	p.proxy = proxy.New(proxy.Config{Catalog: p.ix, Machines: oneMachine{echo.Addr()}})
	defer func() { _ = p.proxy.Close() }()

	if _, err := p.Connect(context.Background(), "web", "web.flycast", 80); err == nil || err.Error() != "app web has no service on port 80: its service ports are 5432" {
		t.Errorf("internal port instead of the service port: %v", err)
	}
	if _, err := p.Connect(context.Background(), "nope", "web.flycast", 5432); !errors.Is(err, state.ErrAppNotFound) {
		t.Errorf("unknown app: %v", err)
	}
	c, err := p.Connect(context.Background(), "web", "web.flycast", 5432)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = io.WriteString(c, "ping")
	_ = c.(interface{ CloseWrite() error }).CloseWrite()
	if got, err := io.ReadAll(c); err != nil || string(got) != "pingEOF" {
		t.Errorf("through the proxy: %q %v, want the echo and the machine's answer to the half-close", got, err)
	}
}

// echoServer echoes each connection, then answers its half-close with "EOF".
func echoServer(t *testing.T) netip.AddrPort {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = c.Close() }()
				if _, err := io.Copy(c, c); err == nil {
					_, _ = io.WriteString(c, "EOF")
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).AddrPort()
}

// oneMachine is a started machine at addr.
type oneMachine struct{ addr netip.Addr }

func (m oneMachine) List(string) ([]proxy.Machine, error) {
	return []proxy.Machine{{ID: "3d8d9e3f", State: proxy.StateStarted, Addr: m.addr}}, nil
}
func (oneMachine) Start(context.Context, string, string) error      { return nil }
func (oneMachine) Stop(context.Context, string, string, bool) error { return nil }
func (oneMachine) Failure(string, string) string                    { return "" }
