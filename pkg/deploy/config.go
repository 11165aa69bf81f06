package deploy

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/state"
	"github.com/hangarhq/hangar/toml"
)

// machineConfig is what a machine of group runs with, built from fly.toml as
// flyctl builds it: [env]; cmd and entrypoint from [experimental], the
// group's [processes] command (shell-split) replacing cmd; the internal port
// of the group's first service; kill_signal and kill_timeout (SIGINT, 5s);
// the guest size of the group's [[vm]].
func machineConfig(cfg *toml.Config, group string) (state.MachineConfig, error) {
	guest := cfg.MachineGuest(group)
	mc := state.MachineConfig{Env: maps.Clone(cfg.Env), StopSignal: machine.DefaultStopSignal, StopTimeout: machine.DefaultStopTimeout,
		MemoryMB: guest.MemoryMB, CPUs: guest.CPUs, CPUKind: guest.CPUKind}
	if svcs := services(cfg, group); len(svcs) > 0 {
		mc.InternalPort = svcs[0].InternalPort
	}
	if cfg.KillSignal != nil {
		mc.StopSignal = *cfg.KillSignal
	}
	if cfg.KillTimeout != nil {
		mc.StopTimeout = cfg.KillTimeout.Duration
	}
	if e := cfg.Experimental; e != nil {
		mc.Cmd, mc.Entrypoint = e.Cmd, e.Entrypoint
	}
	if mt, ok := groupMount(cfg, group); ok {
		mc.Mounts = []state.Mount{{Path: mt.Destination}} // the volume is picked when a machine is created
	}
	if d, ok, err := cfg.ColdAfter(); ok && err == nil {
		mc.ColdAfter = d
	}
	if n, ok, err := cfg.WarmLimit(); ok && err == nil {
		mc.WarmLimit = &n
	}
	if cmd := cfg.Processes[group]; cmd != "" {
		words, err := splitWords(cmd)
		if err != nil {
			return mc, fmt.Errorf("reading the command of process group %s: %w", group, err)
		}
		mc.Cmd = words
	}
	return mc, nil
}

// checks are the HTTP checks of the group's services, for WaitReady.
func checks(cfg *toml.Config, group string) []machine.HTTPCheck {
	var out []machine.HTTPCheck
	for _, svc := range services(cfg, group) {
		for _, c := range svc.HTTPChecks {
			if c == nil {
				continue
			}
			hc := machine.HTTPCheck{Path: deref(c.HTTPPath), Method: deref(c.HTTPMethod), Headers: c.HTTPHeaders}
			if c.Timeout != nil {
				hc.Timeout = c.Timeout.Duration
			}
			out = append(out, hc)
		}
	}
	return out
}

// services are the group's services, http_service first.
func services(cfg *toml.Config, group string) []toml.Service {
	var out []toml.Service
	for _, s := range cfg.AllServices() {
		if cfg.InGroup(s.Processes, group) {
			out = append(out, s)
		}
	}
	return out
}

func hasMounts(cfg *toml.Config, group string) bool {
	return slices.ContainsFunc(cfg.Mounts, func(m toml.Mount) bool { return cfg.InGroup(m.Processes, group) })
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
