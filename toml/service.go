package toml

// HTTPService is [http_service]: sugar for a tcp service on internal_port
// exposed on 80 (http) and 443 (http+tls). See AllServices.
type HTTPService struct {
	InternalPort int  `toml:"internal_port,omitempty" json:"internal_port,omitempty"`
	ForceHTTPS   bool `toml:"force_https,omitempty" json:"force_https,omitempty"`
	// flyctl leaves omitempty off the autostop/autostart pointers so that a
	// false is still written; a nil pointer is never written.
	AutoStopMachines   *AutoStop              `toml:"auto_stop_machines" json:"auto_stop_machines,omitempty"`
	AutoStartMachines  *bool                  `toml:"auto_start_machines" json:"auto_start_machines,omitempty"`
	MinMachinesRunning *int                   `toml:"min_machines_running,omitempty" json:"min_machines_running,omitempty"`
	Processes          []string               `toml:"processes,omitempty" json:"processes,omitempty"`
	Concurrency        *Concurrency           `toml:"concurrency,omitempty" json:"concurrency,omitempty"`
	TLSOptions         *TLSOptions            `toml:"tls_options,omitempty" json:"tls_options,omitempty"`
	HTTPOptions        *HTTPOptions           `toml:"http_options,omitempty" json:"http_options,omitempty"`
	HTTPChecks         []*ServiceHTTPCheck    `toml:"checks,omitempty" json:"checks,omitempty"`
	MachineChecks      []*ServiceMachineCheck `toml:"machine_checks,omitempty" json:"machine_checks,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// Service is one [[services]] entry. Like flyctl, protocol, internal_port
// and ports are written even when empty.
type Service struct {
	Protocol           string                 `toml:"protocol" json:"protocol,omitempty"`
	InternalPort       int                    `toml:"internal_port" json:"internal_port,omitempty"`
	AutoStopMachines   *AutoStop              `toml:"auto_stop_machines" json:"auto_stop_machines,omitempty"`
	AutoStartMachines  *bool                  `toml:"auto_start_machines" json:"auto_start_machines,omitempty"`
	MinMachinesRunning *int                   `toml:"min_machines_running,omitempty" json:"min_machines_running,omitempty"`
	Ports              []ServicePort          `toml:"ports" json:"ports,omitempty"`
	Concurrency        *Concurrency           `toml:"concurrency" json:"concurrency,omitempty"`
	TCPChecks          []*ServiceTCPCheck     `toml:"tcp_checks,omitempty" json:"tcp_checks,omitempty"`
	HTTPChecks         []*ServiceHTTPCheck    `toml:"http_checks,omitempty" json:"http_checks,omitempty"`
	MachineChecks      []*ServiceMachineCheck `toml:"machine_checks,omitempty" json:"machine_checks,omitempty"`
	Processes          []string               `toml:"processes,omitempty" json:"processes,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// ServicePort is one [[services.ports]] entry: a single port or a range.
type ServicePort struct {
	Port              *int               `toml:"port,omitempty" json:"port,omitempty"`
	StartPort         *int               `toml:"start_port,omitempty" json:"start_port,omitempty"`
	EndPort           *int               `toml:"end_port,omitempty" json:"end_port,omitempty"`
	Handlers          []string           `toml:"handlers,omitempty" json:"handlers,omitempty"`
	ForceHTTPS        bool               `toml:"force_https,omitempty" json:"force_https,omitempty"`
	TLSOptions        *TLSOptions        `toml:"tls_options,omitempty" json:"tls_options,omitempty"`
	HTTPOptions       *HTTPOptions       `toml:"http_options,omitempty" json:"http_options,omitempty"`
	ProxyProtoOptions *ProxyProtoOptions `toml:"proxy_proto_options,omitempty" json:"proxy_proto_options,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// ContainsPort reports whether the port or the port range covers port.
func (p ServicePort) ContainsPort(port int) bool {
	if p.Port != nil && *p.Port == port {
		return true
	}
	if p.StartPort == nil && p.EndPort == nil {
		return false
	}
	start, end := 0, 65535
	if p.StartPort != nil {
		start = *p.StartPort
	}
	if p.EndPort != nil {
		end = *p.EndPort
	}
	return start <= port && port <= end
}

// Concurrency is a service's load-balancing limits. The legacy string form
// "12,23" parses as requests with soft_limit 12 and hard_limit 23.
type Concurrency struct {
	Type      string `toml:"type,omitempty" json:"type,omitempty"`
	HardLimit int    `toml:"hard_limit,omitempty" json:"hard_limit,omitempty"`
	SoftLimit int    `toml:"soft_limit,omitempty" json:"soft_limit,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// ToService expands the http_service sugar the way flyctl does.
func (s *HTTPService) ToService() Service {
	return Service{
		Protocol:     "tcp",
		InternalPort: s.InternalPort,
		Concurrency:  s.Concurrency,
		Processes:    s.Processes,
		HTTPChecks:   s.HTTPChecks,
		Ports: []ServicePort{
			{Port: intPtr(80), Handlers: []string{"http"}, ForceHTTPS: s.ForceHTTPS, HTTPOptions: s.HTTPOptions},
			{Port: intPtr(443), Handlers: []string{"http", "tls"}, HTTPOptions: s.HTTPOptions, TLSOptions: s.TLSOptions},
		},
		MachineChecks:      s.MachineChecks,
		AutoStopMachines:   s.AutoStopMachines,
		AutoStartMachines:  s.AutoStartMachines,
		MinMachinesRunning: s.MinMachinesRunning,
	}
}

// AllServices returns the http_service, expanded to a tcp service, followed
// by every [[services]] entry.
func (c *Config) AllServices() []Service {
	var out []Service
	if c.HTTPService != nil {
		out = append(out, c.HTTPService.ToService())
	}
	return append(out, c.Services...)
}

func intPtr(n int) *int { return &n }
