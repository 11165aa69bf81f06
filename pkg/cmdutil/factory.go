// Package cmdutil holds what every command shares: the Factory of dependencies, flag helpers, output helpers and error kinds.
package cmdutil

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/home"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// Factory builds a command's dependencies lazily, so `hangar version` never starts the agent.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Version   string
	// HomeDir is the state directory ($HANGAR_HOME …).
	HomeDir func() string
	// Client returns a client of a running agent, starting it when needed.
	Client func() (*api.Client, error)
	// Executable is the hangar binary used to start the agent.
	Executable func() (string, error)
	Now        func() time.Time
	WorkingDir func() (string, error)
	// Prompter asks questions; commands use it only when IOStreams.CanPrompt.
	Prompter Prompter
}

// Prompter is the questions a command may ask (implemented by pkg/prompt with huh).
type Prompter interface {
	Input(title, def string, validate func(string) error) (string, error)
	Select(title string, options []string, def string) (string, error)
	Confirm(title string, def bool) (bool, error)
}

// New returns the production Factory.
func New(version string) *Factory {
	f := &Factory{
		IOStreams:  iostreams.System(),
		Version:    version,
		HomeDir:    home.Dir,
		Executable: os.Executable,
		Now:        time.Now,
		WorkingDir: os.Getwd,
	}
	f.Client = agentClient(f)
	return f
}

// agentClient pings the agent's socket, or starts `hangar agent run` under a lock, once per process.
func agentClient(f *Factory) func() (*api.Client, error) {
	var once sync.Once
	var c *api.Client
	var err error
	return func() (*api.Client, error) {
		once.Do(func() {
			exe, e := f.Executable()
			if e != nil {
				err = e
				return
			}
			c, err = api.EnsureAgent(context.Background(), f.HomeDir(), exe, f.IOStreams.ErrOut)
		})
		return c, err
	}
}
