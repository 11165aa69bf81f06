package launch

import (
	"fmt"
	"path/filepath"

	"github.com/hangarhq/hangar/toml"
)

// Defaults flyctl uses for a new app.
const (
	DefaultOrg          = "personal"
	DefaultRegion       = "iad" // a real Fly.io region, so fly.toml moves to Fly.io unchanged
	DefaultInternalPort = 8080
	DefaultMemoryMB     = 1024
)

// Where a plan value came from, shown in parentheses in the summary as flyctl does.
const (
	SourceFlag      = "specified on the command line"
	SourceDir       = "derived from your directory name"
	SourceConfig    = "from your fly.toml"
	SourceDefault   = "hangar's default"
	SourcePrompt    = "you chose it"
	SourceOrg       = "hangar launch defaults to the personal org"
	SourceRegion    = "hangar's default; pass --region to match your Fly.io region"
	SourceMemory    = "most apps need about 1GB of RAM"
	SourceFlycast   = "private: Flycast only, never a public address"
	SourceFlycastOn = "--flycast"
)

// Input is what the command line says.
type Input struct {
	Dir          string
	Image        string
	Name         string
	Org          string
	Region       string
	InternalPort int // 0: not given
	AutoStop     toml.AutoStop
	Flycast      bool
	Base         *toml.Config // an existing fly.toml to copy (--copy-config), or nil
}

// Value is one setting and where it came from.
type Value[T any] struct {
	V      T
	Source string
}

// Plan is the app hangar launch is about to create.
type Plan struct {
	Name         Value[string]
	Org          Value[string]
	Region       Value[string]
	InternalPort Value[int]
	Image        string
	AutoStop     toml.AutoStop
	Flycast      bool
	Base         *toml.Config
}

// NewPlan fills every setting from the flags, the copied fly.toml, the directory and defaults.
func NewPlan(in Input) (Plan, error) {
	p := Plan{Image: in.Image, AutoStop: in.AutoStop, Flycast: in.Flycast, Base: in.Base}
	if p.AutoStop == "" {
		p.AutoStop = toml.AutoStopStop
	}
	p.Name = pick(in.Name, baseApp(in.Base), SanitizeAppName(filepath.Base(in.Dir)), SourceDir)
	p.Org = pick(in.Org, "", DefaultOrg, SourceOrg)
	p.Region = pick(in.Region, baseRegion(in.Base), DefaultRegion, SourceRegion)
	p.InternalPort = pickPort(in.InternalPort, basePort(in.Base))
	if p.Image == "" && in.Base != nil && in.Base.Build != nil {
		p.Image = in.Base.Build.Image
	}
	return p, p.Check()
}

// Check validates the plan's values, naming the flag that fixes each.
func (p Plan) Check() error {
	if err := ValidateAppName(p.Name.V); err != nil {
		return fmt.Errorf("%w (set it with --name)", err)
	}
	if err := ValidateOrgSlug(p.Org.V); err != nil {
		return fmt.Errorf("%w (set it with --org)", err)
	}
	if p.InternalPort.V < 1 || p.InternalPort.V > 65535 {
		return fmt.Errorf("internal port must be 1-65535, got %d (set it with --internal-port)", p.InternalPort.V)
	}
	if p.Image == "" && p.Base == nil {
		return fmt.Errorf("no image to run: pass --image IMAGE (for example --image nginxdemos/hello)")
	}
	return nil
}

func pick(flag, config, fallback, fallbackSource string) Value[string] {
	switch {
	case flag != "":
		return Value[string]{flag, SourceFlag}
	case config != "":
		return Value[string]{config, SourceConfig}
	}
	return Value[string]{fallback, fallbackSource}
}

func pickPort(flag, config int) Value[int] {
	switch {
	case flag != 0:
		return Value[int]{flag, SourceFlag}
	case config != 0:
		return Value[int]{config, SourceConfig}
	}
	return Value[int]{DefaultInternalPort, SourceDefault}
}
