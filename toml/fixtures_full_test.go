package toml

// fullReference is what full-reference.toml, which sets every key flyctl
// knows, parses to.
func fullReference() *Config {
	return &Config{
		App:              "foo",
		KillSignal:       ptr("SIGTERM"),
		KillTimeout:      dur("3s"),
		SwapSizeMB:       ptr(512),
		PrimaryRegion:    "sea",
		ConsoleCommand:   "/bin/bash",
		HostDedicationID: "06031957",
		Experimental: &Experimental{
			Cmd: []string{"cmd"}, Entrypoint: []string{"entrypoint"}, Exec: []string{"exec"},
			AutoRollback: true, EnableConsul: true, EnableEtcd: true,
		},
		Build: &Build{
			Builder: "dockerfile", Image: "foo/fighter", Builtin: "whatisthis",
			Dockerfile: "Dockerfile", Ignorefile: ".gitignore", DockerBuildTarget: "target",
			Buildpacks: []string{"packme", "well"},
			Settings:   map[string]any{"foo": "bar", "other": 2.0},
			Args:       map[string]string{"param1": "value1", "param2": "value2"},
		},
		Deploy: &Deploy{
			ReleaseCommand:        "release command",
			ReleaseCommandTimeout: dur("3m"),
			ReleaseCommandVM:      &VM{Size: "performance-2x", Memory: "8g"},
			Strategy:              "rolling-eyes",
			MaxUnavailable:        ptr(0.2),
		},
		Env:         map[string]string{"FOO": "BAR"},
		Restart:     []Restart{{Policy: "always", MaxRetries: 3, Processes: []string{"web"}}},
		Metrics:     []Metrics{{Port: 9999, Path: "/metrics"}, {Port: 9998, Path: "/metrics", Processes: []string{"web"}}},
		HTTPService: fullHTTPService(),
		Statics: []Static{{
			GuestPath: "/path/to/statics", URLPrefix: "/static-assets",
			TigrisBucket: "example-bucket", IndexDocument: "index.html",
		}},
		Files: []File{
			{GuestPath: "/path/to/hello.txt", RawValue: "aGVsbG8gd29ybGQK"},
			{GuestPath: "/path/to/secret.txt", SecretName: "SUPER_SECRET"},
			{GuestPath: "/path/to/config.yaml", LocalPath: "/local/path/config.yaml", Processes: []string{"web"}},
		},
		Mounts: []Mount{{
			Source: "data", InitialSize: "30gb", Destination: "/data",
			SnapshotRetention: ptr(17), ScheduledSnapshots: ptr(true),
		}},
		VMs: []VM{
			{
				Size: "shared-cpu-1x", CPUKind: "performance", CPUs: 8, Memory: "8gb", MemoryMB: 8192,
				GPUs: 2, GPUKind: "a100-pcie-40gb", KernelArgs: []string{"quiet"},
				HostDedicationID: "isolated-xxx", Processes: []string{"app"},
			},
			{MemoryMB: 4096},
		},
		Processes:     map[string]string{"web": "run web", "task": "task all day"},
		Checks:        map[string]*ToplevelCheck{"status": fullCheck()},
		MachineChecks: []*ServiceMachineCheck{curlCheck()},
		Services:      []Service{fullService()},
	}
}

func curlCheck() *ServiceMachineCheck {
	return &ServiceMachineCheck{
		Command: []string{"curl", "https://fly.io"}, Image: "curlimages/curl",
		Entrypoint: []string{"/bin/sh"}, KillTimeout: dur("5s"), KillSignal: ptr("SIGKILL"),
	}
}

func fullHTTPService() *HTTPService {
	return &HTTPService{
		InternalPort: 8080, ForceHTTPS: true,
		AutoStartMachines: ptr(false), AutoStopMachines: ptr(AutoStopOff), MinMachinesRunning: ptr(0),
		HTTPChecks: []*ServiceHTTPCheck{{
			Interval: dur("81s"), Timeout: dur("7s"), GracePeriod: dur("2s"),
			HTTPMethod: ptr("GET"), HTTPPath: ptr("/"), HTTPProtocol: ptr("https"),
			HTTPTLSSkipVerify: ptr(true), HTTPTLSServerName: ptr("sni2.com"),
			HTTPHeaders: map[string]string{"My-Custom-Header": "whatever"},
		}},
		MachineChecks: []*ServiceMachineCheck{curlCheck()},
		Concurrency:   &Concurrency{Type: "donuts", HardLimit: 10, SoftLimit: 4},
		TLSOptions: &TLSOptions{
			ALPN: []string{"h2", "http/1.1"}, Versions: []string{"TLSv1.2", "TLSv1.3"}, DefaultSelfSigned: ptr(false),
		},
		HTTPOptions: &HTTPOptions{Compress: ptr(true), IdleTimeout: ptr(600), Response: responseHeaders()},
	}
}

func fullCheck() *ToplevelCheck {
	return &ToplevelCheck{
		Port: ptr(2020), Type: ptr("http"),
		Interval: dur("10s"), Timeout: dur("2s"), GracePeriod: dur("27s"),
		HTTPMethod: ptr("GET"), HTTPPath: ptr("/status"), HTTPProtocol: ptr("https"),
		HTTPTLSSkipVerify: ptr(true), HTTPTLSServerName: ptr("sni3.com"),
		HTTPHeaders: map[string]string{"Content-Type": "application/json", "Authorization": "super-duper-secret"},
	}
}

func fullService() Service {
	return Service{
		InternalPort: 8081, Protocol: "tcp", Processes: []string{"app"},
		AutoStartMachines: ptr(false), AutoStopMachines: ptr(AutoStopOff), MinMachinesRunning: ptr(1),
		Concurrency: &Concurrency{Type: "requests", HardLimit: 22, SoftLimit: 13},
		Ports: []ServicePort{{
			Port: ptr(80), StartPort: ptr(100), EndPort: ptr(200),
			Handlers: []string{"https"}, ForceHTTPS: true,
			HTTPOptions: &HTTPOptions{IdleTimeout: ptr(600)},
		}},
		TCPChecks: []*ServiceTCPCheck{{Interval: dur("21s"), Timeout: dur("4s"), GracePeriod: dur("1s")}},
		HTTPChecks: []*ServiceHTTPCheck{
			{
				Interval: dur("81s"), Timeout: dur("7s"), GracePeriod: dur("2s"),
				HTTPMethod: ptr("GET"), HTTPPath: ptr("/"), HTTPProtocol: ptr("https"),
				HTTPTLSSkipVerify: ptr(true), HTTPTLSServerName: ptr("sni.com"),
				HTTPHeaders: map[string]string{"My-Custom-Header": "whatever"},
			},
			{Interval: dur("33s"), Timeout: dur("10s"), HTTPMethod: ptr("POST"), HTTPPath: ptr("/check2")},
		},
		MachineChecks: []*ServiceMachineCheck{curlCheck()},
	}
}
