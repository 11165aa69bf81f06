package toml

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMachineGuest(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		group string
		want  Guest
	}{
		{"no vm", `app = "x"`, "app", Guest{CPUKind: "shared", CPUs: 1, MemoryMB: 256}},
		{"launch default", "[[vm]]\nmemory = '1gb'\ncpu_kind = 'shared'\ncpus = 1\nmemory_mb = 1024", "app",
			Guest{CPUKind: "shared", CPUs: 1, MemoryMB: 1024}},
		{"size preset", "[[vm]]\nsize = 'performance-2x'", "app", Guest{CPUKind: "performance", CPUs: 2, MemoryMB: 4096}},
		{"memory overrides preset", "[[vm]]\nsize = 'shared-cpu-2x'\nmemory = '2gb'", "app", Guest{CPUKind: "shared", CPUs: 2, MemoryMB: 2048}},
		{"plain memory is MB", "[vm]\nmemory = 768", "app", Guest{CPUKind: "shared", CPUs: 1, MemoryMB: 768}},
		{"memory_mb beats memory", "[[vm]]\nmemory = '8gb'\nmemory_mb = 4096", "app", Guest{CPUKind: "shared", CPUs: 1, MemoryMB: 4096}},
		{"gpu default size", "[[vm]]\ngpu_kind = 'l40s'", "app", Guest{CPUKind: "performance", CPUs: 8, MemoryMB: 16384, GPUKind: "l40s"}},
		{"per group", "[processes]\nweb = 'w'\nworker = 'k'\n[[vm]]\nprocesses = ['worker']\nsize = 'shared-cpu-4x'\n[[vm]]\nmemory = '512mb'",
			"web", Guest{CPUKind: "shared", CPUs: 1, MemoryMB: 512}},
		{"first match wins", "[processes]\nweb = 'w'\nworker = 'k'\n[[vm]]\nprocesses = ['worker']\nsize = 'shared-cpu-4x'\n[[vm]]\nmemory = '512mb'",
			"worker", Guest{CPUKind: "shared", CPUs: 4, MemoryMB: 1024}},
		{"host dedication", "host_dedication_id = 'h1'\n[[vm]]\nkernel_args = ['quiet']", "app",
			Guest{CPUKind: "shared", CPUs: 1, MemoryMB: 256, HostDedicationID: "h1", KernelArgs: []string{"quiet"}}},
		{"invalid values are skipped", "[[vm]]\nsize = 'huge'\nmemory = 'lots'", "app", Guest{CPUKind: "shared", CPUs: 1, MemoryMB: 256}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, mustParse(t, tt.src).MachineGuest(tt.group)); diff != "" {
				t.Errorf("MachineGuest(%q) (-want +got):\n%s", tt.group, diff)
			}
		})
	}
}

func TestParseSizes(t *testing.T) {
	tests := []struct {
		in         string
		mb, gb     int
		mbOK, gbOK bool
	}{
		{"512", 512, 512, true, true},
		{"1gb", 1024, 1, true, true},
		{"1GB", 1024, 1, true, true},
		{"512mb", 512, 0, true, true},
		{"2g", 2048, 2, true, true},
		{"1.5gib", 1536, 1, true, true},
		{"8 gb", 8192, 8, true, true},
		{"10tb", 10 << 20, 10000, true, true},
		{"lots", 0, 0, false, false},
		{"1xb", 0, 0, false, false},
		{".5gb", 0, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			mb, err := parseMemoryMB(tt.in)
			if (err == nil) != tt.mbOK || mb != tt.mb {
				t.Errorf("parseMemoryMB(%q) = %d, %v; want %d, ok=%v", tt.in, mb, err, tt.mb, tt.mbOK)
			}
			gb, err := parseSizeGB(tt.in)
			if (err == nil) != tt.gbOK || gb != tt.gb {
				t.Errorf("parseSizeGB(%q) = %d, %v; want %d, ok=%v", tt.in, gb, err, tt.gb, tt.gbOK)
			}
		})
	}
}

func TestAllServices(t *testing.T) {
	c := mustParse(t, `[processes]
  web = "web"
[http_service]
  internal_port = 8080
  force_https = true
  auto_stop_machines = "stop"
  processes = ["web"]
  [http_service.tls_options]
    alpn = ["h2"]
[[services]]
  protocol = "udp"
  internal_port = 53
  [[services.ports]]
    port = 53
`)
	want := []Service{
		{
			Protocol: "tcp", InternalPort: 8080, AutoStopMachines: ptr(AutoStopStop), Processes: []string{"web"},
			Ports: []ServicePort{
				{Port: ptr(80), Handlers: []string{"http"}, ForceHTTPS: true},
				{Port: ptr(443), Handlers: []string{"http", "tls"}, TLSOptions: &TLSOptions{ALPN: []string{"h2"}}},
			},
		},
		{Protocol: "udp", InternalPort: 53, Ports: []ServicePort{{Port: ptr(53)}}},
	}
	if diff := cmp.Diff(want, c.AllServices()); diff != "" {
		t.Errorf("AllServices() (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"web"}, c.ProcessNames()); diff != "" {
		t.Errorf("ProcessNames() (-want +got):\n%s", diff)
	}
}

func TestContainsPort(t *testing.T) {
	tests := []struct {
		name string
		p    ServicePort
		port int
		want bool
	}{
		{"single", ServicePort{Port: ptr(80)}, 80, true},
		{"other", ServicePort{Port: ptr(80)}, 81, false},
		{"range", ServicePort{StartPort: ptr(100), EndPort: ptr(200)}, 150, true},
		{"open end", ServicePort{StartPort: ptr(100)}, 60000, true},
		{"below range", ServicePort{StartPort: ptr(100), EndPort: ptr(200)}, 99, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.ContainsPort(tt.port); got != tt.want {
				t.Errorf("ContainsPort(%d) = %v, want %v", tt.port, got, tt.want)
			}
		})
	}
}
