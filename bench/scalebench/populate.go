package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/pkg/home"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/state"
)

// populate stops the agent and adds n apps like the measured one to its state, each with
// its Flycast address, a complete release of the same fly.toml and one machine whose
// container is created but never started (asleep, as after an idle stop), then starts
// the agent again.
func (a *app) populate(ctx context.Context, env *benchenv.Env, n int) error {
	if _, err := a.Hangar("agent", "stop"); err != nil {
		return err
	}
	s, err := state.Open(home.Database(a.Home), state.Options{})
	if err != nil {
		return err
	}
	err = a.fill(ctx, s, machine.NewManager(env.Engine, s, slog.New(slog.DiscardHandler), time.Now), n)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return a.startAgent(ctx, fmt.Sprintf("%s-%d", a.Name, n-1))
}

// startAgent starts the agent and waits until it answers the API and the last app's
// name and is idle, however long past hangar agent start's own 15 s that takes.
func (a *app) startAgent(ctx context.Context, last string) error {
	start := time.Now()
	if _, err := a.Hangar("agent", "start"); err != nil {
		fmt.Fprintf(os.Stderr, "scalebench: %v\n", err)
	}
	if err := a.waitAPI(ctx); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "scalebench: the agent answered its API %.1f s after hangar agent start\n", time.Since(start).Seconds())
	if err := a.settle(ctx, last); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "scalebench: the agent was idle %.1f s after hangar agent start\n", time.Since(start).Seconds())
	return nil
}

func (a *app) fill(ctx context.Context, s *state.Store, mgr *machine.Manager, n int) error {
	ms, err := s.Machines(a.Name)
	if err != nil {
		return err
	}
	rs, err := s.Releases(a.Name)
	if err != nil || len(ms) != 1 || len(rs) == 0 {
		return fmt.Errorf("the measured app has %d machines and %d releases (%v)", len(ms), len(rs), err)
	}
	next := make(chan int)
	errs := make(chan error, *workers)
	var wg sync.WaitGroup
	for range *workers {
		wg.Go(func() {
			for i := range next {
				if err := a.clone(ctx, s, mgr, ms[0], rs[0], fmt.Sprintf("%s-%d", a.Name, i)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	err = feed(next, n, errs)
	wg.Wait()
	return err
}

func feed(next chan<- int, n int, errs <-chan error) error {
	defer close(next)
	for i := range n {
		select {
		case next <- i:
		case err := <-errs:
			return err
		}
	}
	return nil
}

func (a *app) clone(ctx context.Context, s *state.Store, mgr *machine.Manager, m state.Machine, r state.Release, name string) error {
	now := time.Now()
	if _, _, err := s.CreateApp(state.NewApp{Name: name, PrivateV6: true}, now); err != nil {
		return err
	}
	rel, err := s.CreateRelease(state.Release{App: name, Image: r.Image, Strategy: r.Strategy,
		Config: strings.ReplaceAll(r.Config, a.Name, name)}, now)
	if err != nil {
		return err
	}
	_, err = mgr.Create(ctx, machine.Spec{App: name, Group: m.Group, Region: m.Region, Image: m.Image, Version: rel.Version, Config: m.Config})
	if err != nil {
		return err
	}
	return s.FinishRelease(name, rel.Version, state.ReleaseComplete, "")
}

// removeInstallation removes what the agent of home left on the engine: its containers
// and its organizations' networks. The agent is stopped.
func removeInstallation(ctx context.Context, env *benchenv.Env, dir string) {
	s, err := state.Open(home.Database(dir), state.Options{})
	if err != nil {
		return
	}
	defer s.Close()
	labels := map[string]string{machine.LabelManaged: "true", machine.LabelInstallation: s.InstallationID()}
	cs, _ := env.Engine.ListContainers(ctx, labels)
	for _, c := range cs {
		env.Engine.RemoveContainer(ctx, c.ID, true)
	}
	orgs, _ := s.Orgs()
	for _, o := range orgs {
		env.Engine.RemoveNetwork(ctx, machine.NetworkName(o.Slug, s.InstallationID()))
	}
}
