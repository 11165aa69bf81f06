package doctor

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/miekg/dns"

	goldenfile "github.com/hangarhq/hangar/internal/golden"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmd/cmdtest"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// fakeClient answers from function fields.
type fakeClient struct {
	ping     func() (api.AgentStatus, error)
	health   func() (api.Health, error)
	listApps func(org string) ([]api.App, error)
	listIPs  func(app string) ([]api.IPAddress, error)
}

var _ Client = (*fakeClient)(nil)

func (f *fakeClient) Ping(context.Context) (api.AgentStatus, error) { return f.ping() }
func (f *fakeClient) Health(context.Context) (api.Health, error)    { return f.health() }
func (f *fakeClient) ListApps(_ context.Context, org string) ([]api.App, error) {
	return f.listApps(org)
}
func (f *fakeClient) ListIPs(_ context.Context, app string) ([]api.IPAddress, error) {
	return f.listIPs(app)
}

// host is the machine the checks look at: a healthy one unless a test breaks it.
type host struct {
	t         *testing.T
	clientErr error
	status    api.AgentStatus
	health    api.Health
	apps      []api.App
	ips       map[string][]api.IPAddress
	// answer is the DNS server: the app's address unless a test changes it.
	answer func(m *dns.Msg) (*dns.Msg, error)
	// lookup is the host's resolver.
	lookup func(host string) ([]netip.Addr, error)
}

var webAddr = netip.MustParseAddr("fdaa:0:2a:0:1::3")

func healthyHost(t *testing.T) *host {
	h := &host{
		t:      t,
		status: api.AgentStatus{PID: 4242, Version: "0.1.0", Home: "/home/u/.local/state/hangar"},
		health: api.Health{
			Engine: "20.10.24", EngineAPI: "1.41", Root: true, FlycastMode: "routes",
			Routes:    []api.HealthRoute{{Prefix: "fdaa:0:2a:0:1::/80", Routed: true}},
			DNS:       []string{"[fdaa::3]:53%br-2a"},
			Resolvers: []string{"fdaa:0:2a::3"},
			HostNames: "hosts file /etc/hosts",
			Isolation: "inet hangar_0a1b2c3d", Isolated: 1,
		},
		apps: []api.App{{Name: "worker"}, {Name: "web"}},
		ips: map[string][]api.IPAddress{
			"web":    {{Address: webAddr.String(), Type: api.IPTypePrivateV6}},
			"worker": {},
		},
		lookup: func(name string) ([]netip.Addr, error) {
			if name != "web.flycast" {
				t.Errorf("looked up %q, want web.flycast", name)
			}
			return []netip.Addr{webAddr}, nil
		},
	}
	h.answer = func(m *dns.Msg) (*dns.Msg, error) { return aaaaReply(m, webAddr), nil }
	return h
}

func aaaaReply(m *dns.Msg, addrs ...netip.Addr) *dns.Msg {
	r := new(dns.Msg).SetReply(m)
	for _, a := range addrs {
		r.Answer = append(r.Answer, &dns.AAAA{Hdr: dns.RR_Header{Name: m.Question[0].Name, Rrtype: dns.TypeAAAA, Class: dns.ClassINET, Ttl: 5}, AAAA: a.AsSlice()})
	}
	return r
}

func (h *host) client() *fakeClient {
	return &fakeClient{
		ping:     func() (api.AgentStatus, error) { return h.status, nil },
		health:   func() (api.Health, error) { return h.health, nil },
		listApps: func(string) ([]api.App, error) { return h.apps, nil },
		listIPs:  func(app string) ([]api.IPAddress, error) { return h.ips[app], nil },
	}
}

// exchange checks that each query is bounded by the short timeout and goes to port 53.
func (h *host) exchange(ctx context.Context, m *dns.Msg, server string) (*dns.Msg, error) {
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > queryTimeout {
		h.t.Errorf("DNS query without a %s deadline", queryTimeout)
	}
	if server != "[fdaa:0:2a::3]:53" {
		h.t.Errorf("DNS query to %s, want [fdaa:0:2a::3]:53", server)
	}
	return h.answer(m)
}

func (h *host) options(io *iostreams.IOStreams) *Options {
	return &Options{
		IO: io,
		Client: func() (Client, error) {
			if h.clientErr != nil {
				return nil, h.clientErr
			}
			return h.client(), nil
		},
		HomeDir:  func() string { return "/home/u/.local/state/hangar" },
		Exchange: h.exchange,
		LookupIP: func(ctx context.Context, network, name string) ([]netip.Addr, error) {
			if network != "ip6" {
				h.t.Errorf("lookup network %q, want ip6", network)
			}
			return h.lookup(name)
		},
	}
}

// run runs doctor on the host and returns its stdout and error.
func (h *host) run(tty, json bool) (string, string, error) {
	io, _, out, errOut := iostreams.Test()
	io.SetTTY(tty)
	opts := h.options(io)
	opts.JSON = json
	err := runDoctor(context.Background(), opts)
	return out.String(), errOut.String(), err
}

func TestRunDoctor(t *testing.T) {
	tests := []struct {
		name   string
		tty    bool
		json   bool
		breaks func(h *host)
		fails  bool
	}{
		{name: "healthy-tty", tty: true},
		{name: "healthy-plain"},
		{name: "healthy-json", json: true},
		{name: "agent-down", fails: true, breaks: func(h *host) {
			h.clientErr = errors.New("the hangar agent exited while starting (exit status 1)")
		}},
		{name: "engine-down", fails: true, breaks: func(h *host) {
			h.health.Engine, h.health.EngineAPI = "", ""
			h.health.EngineError = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
		}},
		{name: "engine-down-json", json: true, fails: true, breaks: func(h *host) {
			h.health.Engine, h.health.EngineAPI, h.health.EngineError = "", "", "connection refused"
		}},
		{name: "loopback", breaks: loopback(false)},
		{name: "loopback-root", breaks: loopback(true)},
		{name: "flycast-off", fails: true, breaks: func(h *host) {
			*h = host{t: h.t, status: h.status, apps: h.apps, ips: h.ips, health: api.Health{Engine: "20.10.24", EngineAPI: "1.41", Root: true,
				FlycastMode: "off", FlycastError: "adding fdaa::3 to lo: operation not permitted", Routes: []api.HealthRoute{}, Resolvers: []string{}}}
		}},
		{name: "route-missing", fails: true, breaks: func(h *host) {
			h.health.Routes = append(h.health.Routes, api.HealthRoute{Prefix: "fdaa:0:2b:0:1::/80"})
		}},
		{name: "isolation-failing", fails: true, breaks: func(h *host) {
			h.health.IsolationError = "creating table inet hangar_0a1b2c3d: operation not supported"
		}},
		{name: "no-organization", breaks: func(h *host) {
			h.health.Routes, h.health.Resolvers, h.apps = []api.HealthRoute{}, []string{}, nil
		}},
		{name: "dns-timeout", fails: true, breaks: func(h *host) {
			h.answer = func(*dns.Msg) (*dns.Msg, error) {
				return nil, &net.OpError{Op: "read", Net: "udp", Err: errors.New("i/o timeout")}
			}
		}},
		{name: "dns-nxdomain", fails: true, breaks: func(h *host) {
			h.answer = func(m *dns.Msg) (*dns.Msg, error) { return new(dns.Msg).SetRcode(m, dns.RcodeNameError), nil }
		}},
		{name: "no-apps", breaks: func(h *host) {
			h.apps = nil
			h.answer = func(m *dns.Msg) (*dns.Msg, error) {
				if q := m.Question[0]; q.Name != "_apps.internal." || q.Qtype != dns.TypeTXT {
					h.t.Errorf("with no apps, asked %v", q)
				}
				return new(dns.Msg).SetReply(m), nil
			}
		}},
		{name: "resolver-mismatch", fails: true, breaks: func(h *host) {
			h.lookup = func(string) ([]netip.Addr, error) { return []netip.Addr{netip.MustParseAddr("fdaa:0:99:0:1::7")}, nil }
		}},
		{name: "resolver-systemd", fails: true, breaks: func(h *host) {
			h.health.HostNames = "systemd-resolved split DNS on hangar1a2b"
			h.lookup = func(name string) ([]netip.Addr, error) {
				return nil, &net.DNSError{Err: "no such host", Name: name, Server: "127.0.0.53:53", IsNotFound: true}
			}
		}},
		{name: "resolver-unpublished", fails: true, breaks: func(h *host) {
			h.health.HostNames = ""
			h.lookup = func(name string) ([]netip.Addr, error) {
				return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := healthyHost(t)
			if tt.breaks != nil {
				tt.breaks(h)
			}
			out, errOut, err := h.run(tt.tty, tt.json)
			switch {
			case tt.fails && !errors.Is(err, cmdutil.ErrSilent):
				t.Errorf("error = %v, want the silent failure (exit 1, no second message)", err)
			case !tt.fails && err != nil:
				t.Errorf("error = %v, want none (exit 0)", err)
			}
			if errOut != "" {
				t.Errorf("stderr = %q, want nothing: the report is data", errOut)
			}
			golden(t, tt.name+".golden", out)
		})
	}
}

func loopback(root bool) func(h *host) {
	return func(h *host) {
		h.health.Root, h.health.FlycastMode, h.health.Loopback = root, "loopback", "127.0.0.1:8480"
		h.health.Routes, h.health.Resolvers, h.health.DNS, h.health.HostNames = []api.HealthRoute{}, []string{}, []string{}, ""
		h.answer = func(*dns.Msg) (*dns.Msg, error) {
			h.t.Error("DNS query in loopback mode")
			return nil, errors.New("no")
		}
		h.lookup = func(string) ([]netip.Addr, error) {
			h.t.Error("resolver lookup in loopback mode")
			return nil, errors.New("no")
		}
	}
}

func TestNewCmdDoctor(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		noColor string
		want    Options
		wantErr string
	}{
		{name: "plain", args: []string{}, want: Options{}},
		{name: "json", args: []string{"--json"}, want: Options{JSON: true}},
		{name: "j", args: []string{"-j"}, want: Options{JSON: true}},
		{name: "NO_COLOR", args: []string{}, noColor: "1", want: Options{NoColor: true}},
		{name: "an argument", args: []string{"web"}, wantErr: `unknown command "web" for "doctor"`},
		{name: "unknown flag", args: []string{"--app", "web"}, wantErr: "unknown flag: --app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NO_COLOR", tt.noColor)
			env := cmdtest.New(t, t.TempDir(), nil, false)
			var got *Options
			err := cmdtest.Run(NewCmdDoctor(env.F, func(o *Options) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.JSON != tt.want.JSON || got.NoColor != tt.want.NoColor || got.Exchange == nil || got.LookupIP == nil || got.Client == nil {
				t.Errorf("options = %+v, want JSON %v NoColor %v and every dependency set", got, tt.want.JSON, tt.want.NoColor)
			}
		})
	}
}

// TestNoColorOnTerminal: NO_COLOR keeps the plain markers even on a terminal.
func TestNoColorOnTerminal(t *testing.T) {
	h := healthyHost(t)
	io, _, out, _ := iostreams.Test()
	io.SetTTY(true)
	opts := h.options(io)
	opts.NoColor = true
	if err := runDoctor(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	golden(t, "healthy-plain.golden", out.String())
}

// TestExchange sends a real query to a DNS server on a loopback port.
func TestExchange(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, m *dns.Msg) {
		w.WriteMsg(aaaaReply(m, webAddr))
	})}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	m := new(dns.Msg).SetQuestion("web.flycast.", dns.TypeAAAA)
	r, err := exchange(context.Background(), m, pc.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	if got := addrsOf(r); len(got) != 1 || got[0] != webAddr {
		t.Errorf("answer = %v, want %s", got, webAddr)
	}
}

// golden compares got with testdata/<name>, rewriting it under -update.
func golden(t *testing.T, name, got string) { t.Helper(); goldenfile.Check(t, name, []byte(got)) }
