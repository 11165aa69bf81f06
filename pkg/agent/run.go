package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"time"

	"github.com/hangarhq/hangar/pkg/flycast"
	"github.com/hangarhq/hangar/pkg/home"
	"github.com/hangarhq/hangar/pkg/hostnet"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
	"github.com/hangarhq/hangar/pkg/state"
)

// Run opens the state in dir and serves the API until ctx ends: `hangar agent run`.
func Run(ctx context.Context, dir, version string, log *slog.Logger) error {
	if goruntime.GOOS != "linux" {
		return hostnet.ErrNotLinux // the CLI is built for macOS too, the agent is not
	}
	if log == nil {
		log = stderrLog()
	}
	if err := home.Ensure(dir); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	ho := startHandoff(log)
	store, err := state.Open(home.Database(dir), state.Options{LockTimeout: ho.lockTimeout()})
	if errors.Is(err, state.ErrLocked) {
		ho.Stop()
		return fmt.Errorf("another hangar agent is already running for %s: use hangar agent status", dir)
	}
	if err != nil {
		ho.Stop()
		return err
	}
	engine, err := docker.New()
	if err != nil {
		log.Warn("no container engine: machine commands will fail until the agent restarts", "error", err)
	}
	cfg := Config{Store: store, Log: log, Version: version, Home: dir, Engine: asEngine(engine), Handoff: ho.Handoff}
	if err := flycastConfig(&cfg, dir); err != nil {
		log.Warn("Flycast addresses and private DNS are off", "error", err)
	}
	policy, err := sleepPolicy()
	if err != nil {
		ho.Stop()
		store.Close()
		return err
	}
	cfg.MachineOptions = append(cfg.MachineOptions, machine.WithSleepPolicy(policy))
	s := NewServer(cfg)
	err = s.Serve(ctx)
	store.Close()
	s.finish() // after the store: a successor may open it while connections drain here
	return err
}

// asEngine keeps a nil *docker.Engine from becoming a non-nil interface.
func asEngine(e *docker.Engine) runtime.Engine {
	if e == nil {
		return nil
	}
	return e
}

// flycastConfig turns on the Flycast plane when the host network can be changed, and
// points machines at its DNS server. HANGAR_IDLE_TIMEOUT, HANGAR_WAKE_TIMEOUT and
// HANGAR_DRAIN_TIMEOUT (Go durations) tune the proxy.
func flycastConfig(cfg *Config, dir string) error {
	loopback, err := loopbackMode()
	if err != nil {
		return err
	}
	idle, err := envDuration("HANGAR_IDLE_TIMEOUT")
	if err != nil {
		return err
	}
	wake, err := envDuration("HANGAR_WAKE_TIMEOUT")
	if err != nil {
		return err
	}
	drain, err := envDuration("HANGAR_DRAIN_TIMEOUT")
	if err != nil {
		return err
	}
	if loopback.IsValid() {
		cfg.Flycast = &FlycastConfig{Idle: idle, WakeTimeout: wake, Drain: drain, Loopback: loopback}
		return nil
	}
	path := filepath.Join(dir, "resolv.conf")
	if err := os.WriteFile(path, []byte("nameserver "+flycast.DNSAddr.Addr().String()+"\n"), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// HANGAR_HOSTS_FILE moves the host's names out of /etc/hosts (tests of the block).
	cfg.Flycast = &FlycastConfig{Idle: idle, WakeTimeout: wake, Drain: drain, HostsFile: os.Getenv("HANGAR_HOSTS_FILE")}
	cfg.MachineOptions = append(cfg.MachineOptions, machine.WithResolvConf(path))
	return nil
}

// sleepPolicy is the agent's default cold tier: HANGAR_COLD_AFTER (a Go duration) and
// HANGAR_WARM_LIMIT (stopped machines that keep their sandboxes; -1 for no limit).
func sleepPolicy() (machine.SleepPolicy, error) {
	p := machine.SleepPolicy{ColdAfter: machine.DefaultColdAfter, WarmLimit: machine.DefaultWarmLimit}
	after, err := envDuration("HANGAR_COLD_AFTER")
	if err != nil {
		return p, err
	}
	if after > 0 {
		p.ColdAfter = after
	}
	if v := os.Getenv("HANGAR_WARM_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < -1 {
			return p, fmt.Errorf("HANGAR_WARM_LIMIT=%q: want a number of machines like 32, or -1 for no limit", v)
		}
		p.WarmLimit = n
	}
	return p, nil
}

func envDuration(name string) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q: want a positive duration like 60s", name, v)
	}
	return d, nil
}

// DefaultLoopbackAddr is where apps answer by Host header when Flycast is not routed.
const DefaultLoopbackAddr = "127.0.0.1:8480"

// loopbackMode returns the loopback address to serve on, or the zero value when the
// agent routes Flycast addresses: as root unless HANGAR_FLYCAST_MODE=loopback.
func loopbackMode() (netip.AddrPort, error) {
	mode := os.Getenv("HANGAR_FLYCAST_MODE")
	switch {
	case mode != "" && mode != "routes" && mode != "loopback":
		return netip.AddrPort{}, fmt.Errorf("HANGAR_FLYCAST_MODE=%q: want routes or loopback", mode)
	case mode == "routes" || (mode == "" && os.Geteuid() == 0):
		return netip.AddrPort{}, nil
	}
	addr := os.Getenv("HANGAR_LOOPBACK_ADDR")
	if addr == "" {
		addr = DefaultLoopbackAddr
	}
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().IsLoopback() {
		return netip.AddrPort{}, fmt.Errorf("HANGAR_LOOPBACK_ADDR=%q: want a loopback address and port like %s", addr, DefaultLoopbackAddr)
	}
	return ap, nil
}
