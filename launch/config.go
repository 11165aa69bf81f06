package launch

import "github.com/hangarhq/hangar/toml"

// Config is the fly.toml the plan writes: flyctl's launch shape, or the copied file with
// the plan's name, region, image and port, every other key (unknown ones too) kept.
func (p Plan) Config() *toml.Config {
	if p.Base == nil {
		return toml.NewLaunchConfig(p.Name.V, p.Region.V, p.Image, p.InternalPort.V, p.AutoStop)
	}
	c := *p.Base
	c.App, c.PrimaryRegion = p.Name.V, p.Region.V
	if p.Image != "" {
		b := toml.Build{}
		if c.Build != nil {
			b = *c.Build
		}
		b.Image = p.Image
		c.Build = &b
	}
	if c.HTTPService != nil {
		hs := *c.HTTPService
		hs.InternalPort = p.InternalPort.V
		c.HTTPService = &hs
	}
	return &c
}

// NeedsHTTPNote reports whether fly.toml still redirects plain HTTP, which Flycast cannot serve.
func NeedsHTTPNote(c *toml.Config) bool {
	if c.HTTPService != nil && c.HTTPService.ForceHTTPS {
		return true
	}
	for _, s := range c.Services {
		for _, port := range s.Ports {
			if port.ForceHTTPS {
				return true
			}
		}
	}
	return false
}

func baseApp(c *toml.Config) string {
	if c == nil {
		return ""
	}
	return c.App
}

func baseRegion(c *toml.Config) string {
	if c == nil {
		return ""
	}
	return c.PrimaryRegion
}

func basePort(c *toml.Config) int {
	if c == nil || c.HTTPService == nil {
		return 0
	}
	return c.HTTPService.InternalPort
}
