package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
	"github.com/hangarhq/hangar/pkg/state"
)

// app is one measured app (see benchenv.App); all of a run's apps share one home.
type app = benchenv.App

// fleet is the run's apps, launched in one private HANGAR_HOME and served by its agent.
type fleet struct {
	bin, home string
	apps      []*app
}

// appConfig is what an app adds to the fly.toml hangar launch writes.
type appConfig struct {
	top, tables string // top-level keys (before the first table) and tables (after the last)
	ha          bool   // two machines instead of one
}

func newFleet(bin string) (*fleet, error) {
	dir, err := os.MkdirTemp("", "hgb-")
	return &fleet{bin: bin, home: dir}, err
}

// deploy launches image as app name with cfg and deploys it.
func (f *fleet) deploy(name, image string, cfg appConfig) (*app, error) {
	a := &app{Bin: f.bin, Home: f.home, Name: name, Dir: filepath.Join(f.home, name)}
	f.apps = append(f.apps, a)
	if err := os.Mkdir(a.Dir, 0o755); err != nil {
		return nil, err
	}
	if _, err := a.Hangar("launch", "--image", image, "--name", name, "--internal-port", "80", "--no-deploy", "--yes"); err != nil {
		return nil, err
	}
	path := filepath.Join(a.Dir, "fly.toml")
	toml, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text := cfg.top + strings.Replace(string(toml), "force_https = true", "force_https = false", 1) + cfg.tables
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return nil, err
	}
	if _, err := a.Hangar("deploy", "--ha="+strconv.FormatBool(cfg.ha)); err != nil {
		return nil, err
	}
	return a, lookup(a)
}

// lookup fills in the app's Flycast address and its first machine.
func lookup(a *app) error {
	var ips []api.IPAddress
	if err := hangarJSON(a, &ips, "ips", "list", "--json"); err != nil {
		return err
	}
	ms, err := machines(a)
	if err != nil || len(ips) != 1 || len(ms) == 0 {
		return fmt.Errorf("%s: want one address and a machine, got %v and %v (%v)", a.Name, ips, ms, err)
	}
	a.Flycast, a.SixPN, a.ID = ips[0].Address, ms[0].PrivateIP, ms[0].ID
	a.Container = machine.ContainerName(a.Name, a.ID, 0)
	return nil
}

func machines(a *app) ([]api.Machine, error) {
	var ms []api.Machine
	return ms, hangarJSON(a, &ms, "machine", "list", "--json")
}

func hangarJSON(a *app, v any, args ...string) error {
	out, err := a.Hangar(args...)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		return fmt.Errorf("reading hangar %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// waitFor polls machine list every 50 ms, for at most d, until machine id is as ok wants.
func waitFor(ctx context.Context, a *app, id string, d time.Duration, ok func(api.Machine) bool) error {
	var last api.Machine
	for deadline := time.Now().Add(d); time.Now().Before(deadline) && ctx.Err() == nil; time.Sleep(50 * time.Millisecond) {
		ms, err := machines(a)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.ID == id {
				if last = m; ok(m) {
					return nil
				}
			}
		}
	}
	return fmt.Errorf("machine %s of %s: still %s (tier %q) after %s", id, a.Name, last.State, last.SleepTier, d)
}

func tierIs(tier string) func(api.Machine) bool {
	return func(m api.Machine) bool { return m.SleepTier == tier }
}

func started(m api.Machine) bool { return m.State == state.MachineStarted }

// close destroys the apps, stops the agent, and once it has exited removes whatever of
// this installation is left (containers, networks) and the home.
func (f *fleet) close(eng *docker.Engine) {
	ctx := context.Background()
	if len(f.apps) == 0 {
		os.RemoveAll(f.home)
		return
	}
	a := f.apps[0]
	for _, b := range f.apps {
		if _, err := b.Hangar("apps", "destroy", "-y", b.Name); err != nil {
			fmt.Fprintf(os.Stderr, "wakebench: %v\n", err)
		}
	}
	stopAgent(ctx, a)
	removeInstallation(ctx, eng, f.home)
	os.RemoveAll(f.home)
}
