// Package cmdtest builds Factories and runs commands for tests of the commands.
package cmdtest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/pkg/iostreams"
)

// Now is the clock every command test sees.
var Now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// Env is a Factory over test buffers.
type Env struct {
	F      *cmdutil.Factory
	Out    *bytes.Buffer
	ErrOut *bytes.Buffer
	In     *bytes.Buffer
}

// New returns a Factory working in dir whose client is c (nil: any use fails the test).
func New(t testing.TB, dir string, c *api.Client, tty bool) *Env {
	io, in, out, errOut := iostreams.Test()
	io.SetTTY(tty)
	f := &cmdutil.Factory{
		IOStreams:  io,
		Version:    "test",
		HomeDir:    func() string { return t.TempDir() },
		Now:        func() time.Time { return Now },
		WorkingDir: func() (string, error) { return dir, nil },
		Client: func() (*api.Client, error) {
			if c == nil {
				t.Fatal("command used the agent client in a test that gave none")
			}
			return c, nil
		},
	}
	return &Env{F: f, Out: out, ErrOut: errOut, In: in}
}

// Run executes cmd with args the way main does, returning its error.
func Run(cmd *cobra.Command, args ...string) error {
	cmd.SetArgs(args)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	return cmd.ExecuteContext(context.Background())
}

// Prompter answers questions from fixed answers, failing the test on an unexpected one.
type Prompter struct {
	T        testing.TB
	Inputs   map[string]string
	Selects  map[string]string
	Confirms map[string]bool
	Asked    []string
}

var _ cmdutil.Prompter = (*Prompter)(nil)

// Input answers from Inputs, or the default when the title is absent.
func (p *Prompter) Input(title, def string, validate func(string) error) (string, error) {
	p.Asked = append(p.Asked, title)
	v, ok := p.Inputs[title]
	if !ok {
		v = def
	}
	if validate != nil {
		if err := validate(v); err != nil {
			p.T.Fatalf("answer %q to %q fails validation: %v", v, title, err)
		}
	}
	return v, nil
}

// Select answers from Selects, or the default.
func (p *Prompter) Select(title string, _ []string, def string) (string, error) {
	p.Asked = append(p.Asked, title)
	if v, ok := p.Selects[title]; ok {
		return v, nil
	}
	return def, nil
}

// Confirm answers from Confirms, or the default.
func (p *Prompter) Confirm(title string, def bool) (bool, error) {
	p.Asked = append(p.Asked, title)
	if v, ok := p.Confirms[title]; ok {
		return v, nil
	}
	return def, nil
}
