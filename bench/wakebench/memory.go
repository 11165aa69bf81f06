package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
)

// memSample is what a set of machines' sandboxes cost at one moment, summed, in bytes.
type memSample struct {
	cgroup, anon     float64 // the sandboxes' memory cgroups: all charged, and anonymous (RSS)
	shimRSS, shimPSS float64 // their containerd-shim processes; PSS shares the binary's pages out
	available, slab  float64 // the host's MemAvailable and kernel slab (a network namespace lives there)
	daemons          float64 // dockerd's and containerd's RSS
	running          int     // sandboxes that run
}

// sample measures the sandboxes of apps' first machines.
func sample(ctx context.Context, eng *docker.Engine, apps []*app) (memSample, error) {
	s := memSample{available: meminfo("MemAvailable"), slab: meminfo("Slab"), daemons: daemonsRSS()}
	shims := shimPIDs()
	for _, a := range apps {
		c, err := eng.InspectContainer(ctx, machine.SandboxName(a.Container))
		if err != nil {
			return s, fmt.Errorf("inspecting the sandbox of %s: %w", a.Name, err)
		}
		if c.State != runtime.StateRunning {
			continue
		}
		s.running++
		dir := cgroupDir(c.ID)
		s.cgroup += firstNumber(dir, "memory.usage_in_bytes", "memory.current")
		s.anon += statField(filepath.Join(dir, "memory.stat"), "total_rss", "anon")
		if pid, ok := shims[c.ID]; ok {
			s.shimRSS += statField(fmt.Sprintf("/proc/%d/status", pid), "VmRSS:") * 1024
			s.shimPSS += statField(fmt.Sprintf("/proc/%d/smaps_rollup", pid), "Pss:") * 1024
		}
	}
	return s, nil
}

// perMachine is the sample per machine of n, in MB, with the host's figures as a
// change from before.
func (s memSample) perMachine(before memSample, n int) string {
	mb := func(b float64) float64 { return b / (1 << 20) / float64(n) }
	return fmt.Sprintf("%d/%d sandboxes running; per machine: cgroup %.2f MB (anon %.2f MB), containerd-shim RSS %.2f MB (PSS %.2f MB); "+
		"host: MemAvailable %+.2f MB, slab %+.2f MB, dockerd+containerd RSS %+.2f MB",
		s.running, n, mb(s.cgroup), mb(s.anon), mb(s.shimRSS), mb(s.shimPSS),
		mb(s.available-before.available), mb(s.slab-before.slab), mb(s.daemons-before.daemons))
}

// daemonsRSS is the resident memory of the processes named dockerd and containerd.
func daemonsRSS() float64 {
	var sum float64
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		if comm, _ := os.ReadFile(filepath.Join(d, "comm")); strings.TrimSpace(string(comm)) == "dockerd" || strings.TrimSpace(string(comm)) == "containerd" {
			sum += statField(filepath.Join(d, "status"), "VmRSS:") * 1024
		}
	}
	return sum
}

// cgroupDir is the container's memory cgroup: v1 or v2, cgroupfs or systemd driver.
func cgroupDir(id string) string {
	for _, d := range []string{"memory/docker/" + id, "memory/system.slice/docker-" + id + ".scope", "docker/" + id, "system.slice/docker-" + id + ".scope"} {
		if _, err := os.Stat(filepath.Join("/sys/fs/cgroup", d)); err == nil {
			return filepath.Join("/sys/fs/cgroup", d)
		}
	}
	return "/nonexistent"
}

func firstNumber(dir string, files ...string) float64 {
	for _, f := range files {
		if b, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
			v, _ := strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
			return v
		}
	}
	return 0
}

// statField is the number after the first of keys that starts a line of file.
func statField(file string, keys ...string) float64 {
	b, _ := os.ReadFile(file)
	for _, k := range keys {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == k {
				v, _ := strconv.ParseFloat(f[1], 64)
				return v
			}
		}
	}
	return 0
}

func meminfo(key string) float64 { return statField("/proc/meminfo", key+":") * 1024 }

// shimPIDs maps container IDs to the containerd-shim that runs each (its -id argument).
func shimPIDs() map[string]int {
	out := map[string]int{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		cmd, _ := os.ReadFile(filepath.Join(d, "cmdline"))
		if !bytes.Contains(cmd, []byte("containerd-shim")) {
			continue
		}
		args := strings.Split(string(cmd), "\x00")
		for i := 0; i+1 < len(args); i++ {
			if args[i] == "-id" {
				pid, _ := strconv.Atoi(filepath.Base(d))
				out[args[i+1]] = pid
			}
		}
	}
	return out
}

// memory deploys n apps, puts them all to sleep in the stop tier and samples them, then
// restarts the agent with HANGAR_COLD_AFTER=1s, waits until all are cold and samples
// them again. The host's figures are read before the apps are deployed too.
func memory(ctx context.Context, eng *docker.Engine, f *fleet, image string, n int) (warm, cold, before memSample, err error) {
	before, _ = sample(ctx, eng, nil)
	var apps []*app
	for i := range n {
		a, err := f.deploy(fmt.Sprintf("wakebench-mem%d-%d", i, os.Getpid()), image, appConfig{})
		if err != nil {
			return warm, cold, before, err
		}
		apps = append(apps, a)
	}
	if err := sleepAll(ctx, apps, "stop"); err != nil {
		return warm, cold, before, err
	}
	if warm, err = sample(ctx, eng, apps); err != nil {
		return warm, cold, before, err
	}
	if err := restartAgent(ctx, apps[0], "HANGAR_COLD_AFTER", "1s"); err != nil {
		return warm, cold, before, err
	}
	if err := sleepAll(ctx, apps, "cold"); err != nil {
		return warm, cold, before, err
	}
	cold, err = sample(ctx, eng, apps)
	return warm, cold, before, err
}

// sleepAll stops the apps' machines (unless they already sleep) and waits until each sleeps in tier.
func sleepAll(ctx context.Context, apps []*app, tier string) error {
	for _, a := range apps {
		if tier == "stop" {
			if _, err := a.Hangar("machine", "stop", a.ID); err != nil {
				return err
			}
		}
		if err := waitFor(ctx, a, a.ID, 2*time.Minute, tierIs(tier)); err != nil {
			return err
		}
	}
	return nil
}
