package toml

// NewLaunchConfig returns the fly.toml `fly launch --image X --flycast
// --internal-port N --no-deploy` writes: the app and region, [build] image,
// an [http_service] on internalPort (force_https on, autostart on, no
// minimum, the app process) and a shared-cpu-1x [[vm]] with 1GB.
// An empty image leaves out [build]; internalPort <= 0 leaves out
// [http_service], as flyctl does without a port.
func NewLaunchConfig(app, region, image string, internalPort int, autoStop AutoStop) *Config {
	c := &Config{
		App:           app,
		PrimaryRegion: region,
		VMs:           []VM{{Memory: "1gb", CPUKind: "shared", CPUs: 1, MemoryMB: 1024}},
	}
	if image != "" {
		c.Build = &Build{Image: image}
	}
	if internalPort > 0 {
		autoStart, minRunning := true, 0
		c.HTTPService = &HTTPService{
			InternalPort:       internalPort,
			ForceHTTPS:         true,
			AutoStopMachines:   &autoStop,
			AutoStartMachines:  &autoStart,
			MinMachinesRunning: &minRunning,
			Processes:          []string{"app"},
		}
	}
	return c
}
