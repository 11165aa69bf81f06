package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/home"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
	"github.com/hangarhq/hangar/pkg/state"
)

// stopAgent stops the home's agent and waits, at most 3 minutes, for its process to
// end: hangar agent stop returns when the API is gone.
func stopAgent(ctx context.Context, a *app) error {
	st, err := api.NewClient(home.Socket(a.Home)).Ping(ctx)
	if err != nil {
		return nil // not running
	}
	if _, err := a.Hangar("agent", "stop"); err != nil {
		return err
	}
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d/exe", st.PID)); err != nil {
			return nil // gone, or a zombie
		}
	}
	return fmt.Errorf("the agent (pid %d) had not exited 3 minutes after hangar agent stop", st.PID)
}

// restartAgent starts the agent again with the environment variable key=value.
func restartAgent(ctx context.Context, a *app, key, value string) error {
	if err := stopAgent(ctx, a); err != nil {
		return err
	}
	os.Setenv(key, value)
	defer os.Unsetenv(key)
	_, err := a.Hangar("agent", "start")
	return err
}

// removeInstallation removes the containers and networks the home's installation left.
func removeInstallation(ctx context.Context, eng *docker.Engine, dir string) {
	s, err := state.Open(home.Database(dir), state.Options{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "wakebench: opening the state to clean up: %v\n", err)
		return
	}
	defer s.Close()
	labels := map[string]string{machine.LabelManaged: "true", machine.LabelInstallation: s.InstallationID()}
	cs, _ := eng.ListContainers(ctx, labels)
	for _, c := range cs {
		eng.RemoveContainer(ctx, c.ID, true)
	}
	orgs, _ := s.Orgs()
	for _, o := range orgs {
		eng.RemoveNetwork(ctx, machine.NetworkName(o.Slug, s.InstallationID()))
	}
}
