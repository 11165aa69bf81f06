// Package toml reads, validates and writes fly.toml, the app configuration file flyctl uses.
package toml

// Config is one fly.toml. Field order is the order flyctl writes the keys in;
// the toml tags (including omitempty or its absence) are flyctl's, because
// they decide what a written file looks like.
//
// Every table type has an Extra map: keys flyctl does not know land there
// when a file is parsed and are written back after the known keys, so a
// round trip never loses them.
type Config struct {
	App            string    `toml:"app,omitempty" json:"app,omitempty"`
	PrimaryRegion  string    `toml:"primary_region,omitempty" json:"primary_region,omitempty"`
	KillSignal     *string   `toml:"kill_signal,omitempty" json:"kill_signal,omitempty"`
	KillTimeout    *Duration `toml:"kill_timeout,omitempty" json:"kill_timeout,omitempty"`
	SwapSizeMB     *int      `toml:"swap_size_mb,omitempty" json:"swap_size_mb,omitempty"`
	ConsoleCommand string    `toml:"console_command,omitempty" json:"console_command,omitempty"`

	Experimental *Experimental     `toml:"experimental,omitempty" json:"experimental,omitempty"`
	Build        *Build            `toml:"build,omitempty" json:"build,omitempty"`
	Deploy       *Deploy           `toml:"deploy,omitempty" json:"deploy,omitempty"`
	Env          map[string]string `toml:"env,omitempty" json:"env,omitempty"`

	Processes        map[string]string         `toml:"processes,omitempty" json:"processes,omitempty"`
	Mounts           []Mount                   `toml:"mounts,omitempty" json:"mounts,omitempty"`
	HTTPService      *HTTPService              `toml:"http_service,omitempty" json:"http_service,omitempty"`
	Services         []Service                 `toml:"services,omitempty" json:"services,omitempty"`
	Checks           map[string]*ToplevelCheck `toml:"checks,omitempty" json:"checks,omitempty"`
	Files            []File                    `toml:"files,omitempty" json:"files,omitempty"`
	HostDedicationID string                    `toml:"host_dedication_id,omitempty" json:"host_dedication_id,omitempty"`

	MachineConfig string `toml:"machine_config,omitempty" json:"machine_config,omitempty"`
	Container     string `toml:"container,omitempty" json:"container,omitempty"`

	MachineChecks []*ServiceMachineCheck `toml:"machine_checks,omitempty" json:"machine_checks,omitempty"`
	Restart       []Restart              `toml:"restart,omitempty" json:"restart,omitempty"`
	VMs           []VM                   `toml:"vm,omitempty" json:"vm,omitempty"`
	Statics       []Static               `toml:"statics,omitempty" json:"statics,omitempty"`
	Metrics       []Metrics              `toml:"metrics,omitempty" json:"metrics,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`

	// file is the name Parse was given, used in messages.
	file string
	// lines maps a key path (see Line) to the line it was read from.
	lines map[string]int
}

// Experimental is the [experimental] table.
type Experimental struct {
	Cmd            []string `toml:"cmd,omitempty" json:"cmd,omitempty"`
	Entrypoint     []string `toml:"entrypoint,omitempty" json:"entrypoint,omitempty"`
	Exec           []string `toml:"exec,omitempty" json:"exec,omitempty"`
	AutoRollback   bool     `toml:"auto_rollback,omitempty" json:"auto_rollback,omitempty"`
	EnableConsul   bool     `toml:"enable_consul,omitempty" json:"enable_consul,omitempty"`
	EnableEtcd     bool     `toml:"enable_etcd,omitempty" json:"enable_etcd,omitempty"`
	LazyLoadImages bool     `toml:"lazy_load_images,omitempty" json:"lazy_load_images,omitempty"`
	Attached       Attached `toml:"attached,omitempty" json:"attached,omitempty"`
	MachineConfig  string   `toml:"machine_config,omitempty" json:"machine_config,omitempty"`
	UseZstd        bool     `toml:"use_zstd,omitempty" json:"use_zstd,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// Attached is [experimental.attached].
type Attached struct {
	Secrets AttachedSecrets `toml:"secrets,omitempty" json:"secrets,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// AttachedSecrets is [experimental.attached.secrets].
type AttachedSecrets struct {
	Export map[string]string `toml:"export,omitempty" json:"export,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// Build is the [build] table: where the image comes from.
type Build struct {
	Builder           string            `toml:"builder,omitempty" json:"builder,omitempty"`
	Args              map[string]string `toml:"args,omitempty" json:"args,omitempty"`
	Buildpacks        []string          `toml:"buildpacks,omitempty" json:"buildpacks,omitempty"`
	Image             string            `toml:"image,omitempty" json:"image,omitempty"`
	Settings          map[string]any    `toml:"settings,omitempty" json:"settings,omitempty"`
	Builtin           string            `toml:"builtin,omitempty" json:"builtin,omitempty"`
	Dockerfile        string            `toml:"dockerfile,omitempty" json:"dockerfile,omitempty"`
	Ignorefile        string            `toml:"ignorefile,omitempty" json:"ignorefile,omitempty"`
	DockerBuildTarget string            `toml:"build-target,omitempty" json:"build-target,omitempty"`
	Compression       string            `toml:"compression,omitempty" json:"compression,omitempty"`
	CompressionLevel  *int              `toml:"compression_level,omitempty" json:"compression_level,omitempty"`
	Compose           *BuildCompose     `toml:"compose,omitempty" json:"compose,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// BuildCompose is [build.compose].
type BuildCompose struct {
	File string `toml:"file,omitempty" json:"file,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// Deploy is the [deploy] table.
type Deploy struct {
	Strategy              string    `toml:"strategy,omitempty" json:"strategy,omitempty"`
	MaxUnavailable        *float64  `toml:"max_unavailable,omitempty" json:"max_unavailable,omitempty"`
	WaitTimeout           *Duration `toml:"wait_timeout,omitempty" json:"wait_timeout,omitempty"`
	ReleaseCommand        string    `toml:"release_command,omitempty" json:"release_command,omitempty"`
	ReleaseCommandTimeout *Duration `toml:"release_command_timeout,omitempty" json:"release_command_timeout,omitempty"`
	ReleaseCommandVM      *VM       `toml:"release_command_vm,omitempty" json:"release_command_vm,omitempty"`
	SeedCommand           string    `toml:"seed_command,omitempty" json:"seed_command,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// Mount is one [[mounts]] entry: a volume and where it is mounted.
type Mount struct {
	Source                  string   `toml:"source,omitempty" json:"source,omitempty"`
	Destination             string   `toml:"destination,omitempty" json:"destination,omitempty"`
	InitialSize             string   `toml:"initial_size,omitempty" json:"initial_size,omitempty"`
	SnapshotRetention       *int     `toml:"snapshot_retention,omitempty" json:"snapshot_retention,omitempty"`
	ScheduledSnapshots      *bool    `toml:"scheduled_snapshots,omitempty" json:"scheduled_snapshots,omitempty"`
	AutoExtendSizeThreshold int      `toml:"auto_extend_size_threshold,omitempty" json:"auto_extend_size_threshold,omitempty"`
	AutoExtendSizeIncrement string   `toml:"auto_extend_size_increment,omitempty" json:"auto_extend_size_increment,omitempty"`
	AutoExtendSizeLimit     string   `toml:"auto_extend_size_limit,omitempty" json:"auto_extend_size_limit,omitempty"`
	Processes               []string `toml:"processes,omitempty" json:"processes,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// File is one [[files]] entry: a file written into the machine.
type File struct {
	GuestPath  string   `toml:"guest_path,omitempty" json:"guest_path,omitempty"`
	LocalPath  string   `toml:"local_path,omitempty" json:"local_path,omitempty"`
	SecretName string   `toml:"secret_name,omitempty" json:"secret_name,omitempty"`
	RawValue   string   `toml:"raw_value,omitempty" json:"raw_value,omitempty"`
	Processes  []string `toml:"processes,omitempty" json:"processes,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// Restart is one [[restart]] entry.
type Restart struct {
	Policy     string   `toml:"policy,omitempty" json:"policy,omitempty"`
	MaxRetries int      `toml:"retries,omitempty" json:"retries,omitempty"`
	Processes  []string `toml:"processes,omitempty" json:"processes,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// Static is one [[statics]] entry. flyctl writes guest_path and url_prefix
// even when empty.
type Static struct {
	GuestPath     string `toml:"guest_path" json:"guest_path,omitempty"`
	URLPrefix     string `toml:"url_prefix" json:"url_prefix,omitempty"`
	TigrisBucket  string `toml:"tigris_bucket,omitempty" json:"tigris_bucket,omitempty"`
	IndexDocument string `toml:"index_document,omitempty" json:"index_document,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// Metrics is one [[metrics]] entry; only the first reaches a machine.
type Metrics struct {
	Port      int      `toml:"port,omitempty" json:"port,omitempty"`
	Path      string   `toml:"path,omitempty" json:"path,omitempty"`
	HTTPS     bool     `toml:"https,omitempty" json:"https,omitempty"`
	Processes []string `toml:"processes,omitempty" json:"processes,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}
