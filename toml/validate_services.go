package toml

import (
	"slices"
	"strings"
	"time"
)

// knownHandlers are the port handlers the proxy understands.
var knownHandlers = []string{"http", "tls", "pg_tls", "proxy_proto"}

func (v *validator) httpService() {
	s := v.c.HTTPService
	if s == nil {
		return
	}
	v.port("http_service.internal_port", s.InternalPort)
	v.serviceCommon("http_service", s.ToService())
	for i, chk := range s.HTTPChecks {
		v.serviceCheck(joinIndex("http_service.checks", i), chk.Interval, chk.Timeout, chk.GracePeriod)
	}
}

func (v *validator) services() {
	for i, s := range v.c.Services {
		key := joinIndex("services", i)
		if s.Protocol != "tcp" && s.Protocol != "udp" {
			v.errorf(key+".protocol", "must be tcp or udp, got %q", s.Protocol)
		}
		v.port(key+".internal_port", s.InternalPort)
		v.ports(key, s.Ports)
		v.serviceCommon(key, s)
		for j, chk := range s.TCPChecks {
			v.serviceCheck(joinIndex(key+".tcp_checks", j), chk.Interval, chk.Timeout, chk.GracePeriod)
		}
		for j, chk := range s.HTTPChecks {
			v.serviceCheck(joinIndex(key+".http_checks", j), chk.Interval, chk.Timeout, chk.GracePeriod)
		}
	}
}

// serviceCommon checks what [http_service] and [[services]] share.
func (v *validator) serviceCommon(key string, s Service) {
	if s.AutoStopMachines != nil && !s.AutoStopMachines.Valid() {
		v.errorf(key+".auto_stop_machines", "must be one of off, stop, suspend, got %q", *s.AutoStopMachines)
	}
	if s.MinMachinesRunning != nil && *s.MinMachinesRunning < 0 {
		v.errorf(key+".min_machines_running", "must not be negative, got %d", *s.MinMachinesRunning)
	}
	if s.Concurrency != nil {
		v.concurrency(key+".concurrency", *s.Concurrency)
	}
	if len(s.Processes) == 0 && len(v.c.Processes) > 0 {
		v.errorf(key, "has no processes, but [processes] defines %d; set processes to the groups it serves", len(v.c.Processes))
	}
	v.processRefs(key+".processes", s.Processes)
}

func (v *validator) port(key string, port int) {
	if port < 1 || port > 65535 {
		v.errorf(key, "must be 1-65535, got %d", port)
	}
}

func (v *validator) ports(service string, ports []ServicePort) {
	if len(ports) == 0 {
		v.warnf(service+".ports", "is empty; add a [[services.ports]] entry or the service cannot be reached")
	}
	for i, p := range ports {
		key := joinIndex(service+".ports", i)
		v.portNumbers(key, p)
		for _, h := range p.Handlers {
			if !slices.Contains(knownHandlers, h) {
				v.warnf(key+".handlers", "names %q, which is not one of %s", h, strings.Join(knownHandlers, ", "))
			}
		}
	}
}

func (v *validator) portNumbers(key string, p ServicePort) {
	if p.Port == nil && (p.StartPort == nil || p.EndPort == nil) {
		v.errorf(key, "needs port, or start_port and end_port")
	}
	if p.Port != nil {
		v.port(key+".port", *p.Port)
	}
	if p.StartPort != nil {
		v.port(key+".start_port", *p.StartPort)
	}
	if p.EndPort != nil {
		v.port(key+".end_port", *p.EndPort)
	}
	if p.StartPort != nil && p.EndPort != nil && *p.StartPort > *p.EndPort {
		v.errorf(key+".end_port", "must be at least start_port (%d), got %d", *p.StartPort, *p.EndPort)
	}
}

func (v *validator) concurrency(key string, c Concurrency) {
	if c.Type != "" && c.Type != "requests" && c.Type != "connections" {
		v.warnf(key+".type", "should be requests or connections, got %q", c.Type)
	}
	if c.SoftLimit < 0 {
		v.errorf(key+".soft_limit", "must not be negative, got %d", c.SoftLimit)
	}
	if c.HardLimit < 0 {
		v.errorf(key+".hard_limit", "must not be negative, got %d", c.HardLimit)
	}
	if c.HardLimit > 0 && c.SoftLimit > c.HardLimit {
		v.errorf(key+".hard_limit", "must be at least soft_limit (%d), got %d", c.SoftLimit, c.HardLimit)
	}
}

// serviceCheck warns, as flyctl does, about check durations the platform
// clamps to 1s-1m.
func (v *validator) serviceCheck(key string, interval, timeout, grace *Duration) {
	for _, d := range []struct {
		name   string
		d      *Duration
		zeroOK bool
	}{{"interval", interval, false}, {"timeout", timeout, false}, {"grace_period", grace, true}} {
		switch {
		case d.d == nil || d.zeroOK && d.d.Duration == 0:
		case d.d.Duration < time.Second:
			v.warnf(key+"."+d.name, "is less than 1s (%s); it will be raised to 1s", d.d.Duration)
		case d.d.Duration > time.Minute:
			v.warnf(key+"."+d.name, "is more than 1m (%s); it will be lowered to 1m", d.d.Duration)
		}
	}
}

// processRefs checks that every process group named under key exists.
func (v *validator) processRefs(key string, names []string) {
	groups := v.c.ProcessNames()
	for _, name := range names {
		if !slices.Contains(groups, name) {
			v.errorf(key, "names %q, which is not a process group (groups: %s)", name, strings.Join(groups, ", "))
		}
	}
}

// ProcessNames returns the process groups: the sorted [processes] names,
// or ["app"] when there is no [processes] section.
func (c *Config) ProcessNames() []string {
	if len(c.Processes) == 0 {
		return []string{"app"}
	}
	return sortedKeys(c.Processes)
}
