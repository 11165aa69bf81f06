package toml

// TLSOptions is a port's (or the http_service's) [tls_options].
type TLSOptions struct {
	ALPN              []string `toml:"alpn,omitempty" json:"alpn,omitempty"`
	Versions          []string `toml:"versions,omitempty" json:"versions,omitempty"`
	DefaultSelfSigned *bool    `toml:"default_self_signed,omitempty" json:"default_self_signed,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// HTTPOptions is a port's (or the http_service's) [http_options].
type HTTPOptions struct {
	Compress           *bool                `toml:"compress,omitempty" json:"compress,omitempty"`
	Response           *HTTPResponseOptions `toml:"response,omitempty" json:"response,omitempty"`
	H2Backend          *bool                `toml:"h2_backend,omitempty" json:"h2_backend,omitempty"`
	IdleTimeout        *int                 `toml:"idle_timeout,omitempty" json:"idle_timeout,omitempty"`
	HeadersReadTimeout *int                 `toml:"headers_read_timeout,omitempty" json:"headers_read_timeout,omitempty"`
	ReplayCache        []ReplayCache        `toml:"replay_cache,omitempty" json:"replay_cache,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// HTTPResponseOptions is [http_options.response]. A header value is a
// string, a list of strings, or false to strip the header.
type HTTPResponseOptions struct {
	Headers  map[string]any `toml:"headers,omitempty" json:"headers,omitempty"`
	Pristine *bool          `toml:"pristine,omitempty" json:"pristine,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// ReplayCache is one [[http_options.replay_cache]] entry.
type ReplayCache struct {
	PathPrefix  string `toml:"path_prefix" json:"path_prefix"`
	TTLSeconds  int    `toml:"ttl_seconds" json:"ttl_seconds"`
	Type        string `toml:"type" json:"type"`
	Name        string `toml:"name" json:"name"`
	AllowBypass bool   `toml:"allow_bypass,omitempty" json:"allow_bypass,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// ProxyProtoOptions is a port's [proxy_proto_options].
type ProxyProtoOptions struct {
	Version string `toml:"version,omitempty" json:"version,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// ServiceTCPCheck is one [[services.tcp_checks]] entry.
type ServiceTCPCheck struct {
	Interval    *Duration `toml:"interval,omitempty" json:"interval,omitempty"`
	Timeout     *Duration `toml:"timeout,omitempty" json:"timeout,omitempty"`
	GracePeriod *Duration `toml:"grace_period,omitempty" json:"grace_period,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// ServiceHTTPCheck is one [[services.http_checks]] or [[http_service.checks]]
// entry.
type ServiceHTTPCheck struct {
	Interval          *Duration         `toml:"interval,omitempty" json:"interval,omitempty"`
	Timeout           *Duration         `toml:"timeout,omitempty" json:"timeout,omitempty"`
	GracePeriod       *Duration         `toml:"grace_period,omitempty" json:"grace_period,omitempty"`
	HTTPMethod        *string           `toml:"method,omitempty" json:"method,omitempty"`
	HTTPPath          *string           `toml:"path,omitempty" json:"path,omitempty"`
	HTTPProtocol      *string           `toml:"protocol,omitempty" json:"protocol,omitempty"`
	HTTPTLSSkipVerify *bool             `toml:"tls_skip_verify,omitempty" json:"tls_skip_verify,omitempty"`
	HTTPTLSServerName *string           `toml:"tls_server_name,omitempty" json:"tls_server_name,omitempty"`
	HTTPHeaders       map[string]string `toml:"headers,omitempty" json:"headers,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// ServiceMachineCheck is one [[machine_checks]] entry: a command run in a
// throwaway machine.
type ServiceMachineCheck struct {
	Command     []string  `toml:"command,omitempty" json:"command,omitempty"`
	Image       string    `toml:"image,omitempty" json:"image,omitempty"`
	Entrypoint  []string  `toml:"entrypoint,omitempty" json:"entrypoint,omitempty"`
	KillSignal  *string   `toml:"kill_signal,omitempty" json:"kill_signal,omitempty"`
	KillTimeout *Duration `toml:"kill_timeout,omitempty" json:"kill_timeout,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// ToplevelCheck is one [checks.<name>] table, a machine-level health check.
type ToplevelCheck struct {
	Port              *int              `toml:"port,omitempty" json:"port,omitempty"`
	Type              *string           `toml:"type,omitempty" json:"type,omitempty"`
	Interval          *Duration         `toml:"interval,omitempty" json:"interval,omitempty"`
	Timeout           *Duration         `toml:"timeout,omitempty" json:"timeout,omitempty"`
	GracePeriod       *Duration         `toml:"grace_period,omitempty" json:"grace_period,omitempty"`
	HTTPMethod        *string           `toml:"method,omitempty" json:"method,omitempty"`
	HTTPPath          *string           `toml:"path,omitempty" json:"path,omitempty"`
	HTTPProtocol      *string           `toml:"protocol,omitempty" json:"protocol,omitempty"`
	HTTPTLSSkipVerify *bool             `toml:"tls_skip_verify,omitempty" json:"tls_skip_verify,omitempty"`
	HTTPTLSServerName *string           `toml:"tls_server_name,omitempty" json:"tls_server_name,omitempty"`
	HTTPHeaders       map[string]string `toml:"headers,omitempty" json:"headers,omitempty"`
	Processes         []string          `toml:"processes,omitempty" json:"processes,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}
