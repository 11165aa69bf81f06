// Package iostreams carries a command's input and outputs and whether a person is at a terminal.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams: data goes to Out, progress and hints to ErrOut.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
}

// System returns the process's streams.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		stdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
}

// Test returns streams over buffers: (streams, stdin, stdout, stderr).
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// SetTTY pretends (in tests) that all three streams are or are not a terminal.
func (s *IOStreams) SetTTY(on bool) { s.stdinTTY, s.stdoutTTY, s.stderrTTY = on, on, on }

// SetStdoutTTY pretends (in tests) that Out is or is not a terminal.
func (s *IOStreams) SetStdoutTTY(on bool) { s.stdoutTTY = on }

// SetStderrTTY pretends (in tests) that ErrOut is or is not a terminal.
func (s *IOStreams) SetStderrTTY(on bool) { s.stderrTTY = on }

// IsStdoutTTY reports whether output goes to a terminal (tables get padded headers).
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether ErrOut is a terminal: what draws progress in place
// (bars, spinners) there must ask this, not IsStdoutTTY, since either may be redirected.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// CanPrompt reports whether a person can answer questions.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stdoutTTY }
