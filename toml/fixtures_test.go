package toml

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLoadFixtures checks that flyctl's test files parse to the values
// flyctl's serde_test.go expects.
func TestLoadFixtures(t *testing.T) {
	tests := map[string]*Config{
		"env-list": {
			App: "foo",
			Env: map[string]string{"FOO": "BAR", "TWO": "2", "TRUE": "true"},
		},
		"experimental-alt": {
			App:          "foo",
			KillTimeout:  dur("3s"),
			Experimental: &Experimental{Cmd: []string{"cmd"}, Entrypoint: []string{"entrypoint"}, Exec: []string{"exec"}},
			Metrics:      []Metrics{{Port: 9000, Path: "/foo"}},
		},
		"format-quirks": {
			App:    "foo",
			VMs:    []VM{{Memory: "512"}},
			Mounts: []Mount{{Source: "data", Destination: "/data", InitialSize: "200", SnapshotRetention: ptr(10)}},
		},
		"mounts-array": {
			App:    "foo",
			Mounts: []Mount{{Source: "pg_data", Destination: "/data"}},
		},
		"old-format": oldFormat(),
		"old-processes": {
			Processes: map[string]string{"web": "./web", "worker": "./worker"},
		},
		"services-emptysection": {App: "foo"},
		"services-multi": {
			App: "foo",
			Services: []Service{
				{Protocol: "tcp", InternalPort: 8081, Concurrency: &Concurrency{Type: "requests", HardLimit: 22, SoftLimit: 13}},
				{Protocol: "tcp", InternalPort: 9999, Concurrency: &Concurrency{Type: "connections", HardLimit: 10, SoftLimit: 8}},
			},
		},
		"services-ports":                 servicesPorts(),
		"tomachine-default-for-new-apps": newAppsDefault(),
		"tomachine-services":             tomachineServices(),
		"full-reference":                 fullReference(),
	}
	for _, file := range fixtures(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".toml")
		if name == "always-invalid-v2" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			want, ok := tests[name]
			if !ok {
				t.Fatalf("no expectation for fixture %s", name)
			}
			got, err := Load(file)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, configOpts); diff != "" {
				t.Errorf("Load(%s) mismatch (-want +got):\n%s", file, diff)
			}
		})
	}
}

func TestLoadAlwaysInvalid(t *testing.T) {
	_, err := Load("testdata/flyctl/always-invalid-v2.toml")
	want := `testdata/flyctl/always-invalid-v2.toml:24: services[0].concurrency: expected a table or a "soft,hard" string like "20,25", got 20`
	if err == nil || err.Error() != want {
		t.Fatalf("Load error = %v, want %s", err, want)
	}
}

func oldFormat() *Config {
	return &Config{
		App:     "foo",
		Build:   &Build{DockerBuildTarget: "thalayer"},
		Env:     map[string]string{"FOO": "STRING", "BAR": "123"},
		Mounts:  []Mount{{Source: "data", Destination: "/data"}},
		Metrics: []Metrics{{Port: 9999, Path: "/metrics"}},
		Services: []Service{{
			InternalPort:     8080,
			AutoStopMachines: ptr(AutoStopOff),
			Ports:            []ServicePort{{Port: ptr(80), Handlers: []string{"http"}}},
			Concurrency:      &Concurrency{Type: "requests", HardLimit: 23, SoftLimit: 12},
			TCPChecks: []*ServiceTCPCheck{
				{Interval: dur("10s"), Timeout: dur("2s")},
				{Interval: dur("20s"), Timeout: dur("3s")},
			},
			HTTPChecks: []*ServiceHTTPCheck{
				{Interval: dur("30s"), Timeout: dur("4s"), HTTPHeaders: map[string]string{"origin": "http://localhost:8000"}},
				{Interval: dur("20s"), Timeout: dur("3s"), HTTPHeaders: map[string]string{"fly-healthcheck": "1", "metoo": "true", "astring": "string"}},
			},
		}},
	}
}

func responseHeaders() *HTTPResponseOptions {
	return &HTTPResponseOptions{Headers: map[string]any{
		"fly-request-id": false,
		"fly-wasnt-here": "yes, it was",
		"multi-valued":   []any{"value1", "value2"},
	}}
}

func servicesPorts() *Config {
	return &Config{
		App: "foo",
		Services: []Service{{
			Protocol:     "tcp",
			InternalPort: 8080,
			Ports: []ServicePort{
				{
					Port:        ptr(80),
					TLSOptions:  &TLSOptions{ALPN: []string{"h2", "http/1.1"}, Versions: []string{"TLSv1.2", "TLSv1.3"}},
					HTTPOptions: &HTTPOptions{Compress: ptr(true), Response: responseHeaders()},
				},
				{Port: ptr(82), Handlers: []string{"proxy_proto"}, ProxyProtoOptions: &ProxyProtoOptions{Version: "v2"}},
			},
		}},
	}
}

func newAppsDefault() *Config {
	return &Config{
		App:           "foo",
		PrimaryRegion: "ord",
		HTTPService:   &HTTPService{InternalPort: 8080, ForceHTTPS: true},
		Checks: map[string]*ToplevelCheck{"alive": {
			Type: ptr("tcp"), Interval: dur("15s"), Timeout: dur("2s"), GracePeriod: dur("5s"),
		}},
	}
}

func tomachineServices() *Config {
	return &Config{
		App:           "foo",
		PrimaryRegion: "scl",
		HTTPService: &HTTPService{
			InternalPort: 8080, ForceHTTPS: true,
			AutoStartMachines: ptr(true), AutoStopMachines: ptr(AutoStopStop),
		},
		Services: []Service{
			{Protocol: "tcp", InternalPort: 1000, AutoStartMachines: ptr(true), AutoStopMachines: ptr(AutoStopStop)},
			{Protocol: "tcp", InternalPort: 1001, AutoStartMachines: ptr(false), AutoStopMachines: ptr(AutoStopOff)},
			{Protocol: "tcp", InternalPort: 1002, AutoStartMachines: ptr(false)},
			{Protocol: "tcp", InternalPort: 1003, AutoStopMachines: ptr(AutoStopStop)},
			{Protocol: "tcp", InternalPort: 1004},
		},
	}
}
