package toml

import (
	"slices"
	"time"
)

func (v *validator) checks() {
	for _, name := range sortedKeys(v.c.Checks) {
		chk := v.c.Checks[name]
		if chk == nil {
			chk = &ToplevelCheck{}
		}
		v.check(joinKey("checks", name), chk)
	}
}

func (v *validator) check(key string, chk *ToplevelCheck) {
	switch {
	case chk.Type == nil:
		v.errorf(key+".type", "is required and must be http or tcp")
	case *chk.Type != "http" && *chk.Type != "tcp":
		v.errorf(key+".type", "must be http or tcp, got %q", *chk.Type)
	}
	if chk.Interval != nil && chk.Interval.Duration < 2*time.Second {
		v.errorf(key+".interval", "must be at least 2s, got %s", chk.Interval.Duration)
	}
	if chk.Timeout != nil && chk.Timeout.Duration > time.Minute {
		v.errorf(key+".timeout", "must be at most 1m0s, got %s", chk.Timeout.Duration)
	}
	switch {
	case chk.Port != nil:
		v.port(key+".port", *chk.Port)
	case v.c.HTTPService == nil:
		v.errorf(key+".port", "is required when there is no [http_service] to take it from")
	}
	v.processRefs(key+".processes", chk.Processes)
}

func (v *validator) files() {
	for i, f := range v.c.Files {
		key := joinIndex("files", i)
		if f.GuestPath == "" {
			v.errorf(key+".guest_path", "is required")
		}
		sources := 0
		for _, s := range []string{f.LocalPath, f.SecretName, f.RawValue} {
			if s != "" {
				sources++
			}
		}
		if sources != 1 {
			v.errorf(key, "needs exactly one of local_path, secret_name and raw_value, got %d", sources)
		}
		v.processRefs(key+".processes", f.Processes)
	}
}

func (v *validator) restarts() {
	for i, r := range v.c.Restart {
		key := joinIndex("restart", i)
		if !slices.Contains([]string{"always", "never", "on-failure"}, r.Policy) {
			v.errorf(key+".policy", "must be always, never or on-failure, got %q", r.Policy)
		}
		if r.MaxRetries < 0 {
			v.errorf(key+".retries", "must not be negative, got %d", r.MaxRetries)
		}
		v.processRefs(key+".processes", r.Processes)
	}
}

func (v *validator) vms() {
	for i, vm := range v.c.VMs {
		key := joinIndex("vm", i)
		v.vm(key, vm)
		v.processRefs(key+".processes", vm.Processes)
	}
}

func (v *validator) vm(key string, vm VM) {
	if _, ok := vmPresets[vm.Size]; vm.Size != "" && !ok {
		v.errorf(key+".size", "must be a machine size such as shared-cpu-1x or performance-2x, got %q", vm.Size)
	}
	if vm.Memory != "" {
		switch mb, err := parseMemoryMB(vm.Memory); {
		case err != nil:
			v.errorf(key+".memory", "must be a size like \"1gb\" or \"512mb\": %v", err)
		case mb == 0:
			v.errorf(key+".memory", "cannot be zero")
		case mb < 0:
			v.errorf(key+".memory", "must be positive, got %q", vm.Memory)
		}
	}
	if vm.CPUKind != "" && vm.CPUKind != "shared" && vm.CPUKind != "performance" {
		v.errorf(key+".cpu_kind", "must be shared or performance, got %q", vm.CPUKind)
	}
	for _, n := range []struct {
		name string
		n    int
	}{{"cpus", vm.CPUs}, {"memory_mb", vm.MemoryMB}, {"max_memory_mb", vm.MaxMemoryMB}, {"gpus", vm.GPUs}} {
		if n.n < 0 {
			v.errorf(key+"."+n.name, "must not be negative, got %d", n.n)
		}
	}
}

func (v *validator) statics() {
	for i, s := range v.c.Statics {
		key := joinIndex("statics", i)
		if s.GuestPath == "" {
			v.errorf(key+".guest_path", "is required")
		}
		if s.URLPrefix == "" {
			v.errorf(key+".url_prefix", "is required")
		}
	}
}

func (v *validator) metrics() {
	for i, m := range v.c.Metrics {
		key := joinIndex("metrics", i)
		v.port(key+".port", m.Port)
		v.processRefs(key+".processes", m.Processes)
	}
}
