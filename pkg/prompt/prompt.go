// Package prompt asks a person at a terminal for values, through charmbracelet/huh.
package prompt

import (
	"errors"
	"io"

	"github.com/charmbracelet/huh"

	"github.com/hangarhq/hangar/pkg/cmdutil"
)

// Prompter is every question a command may ask.
type Prompter = cmdutil.Prompter

// Huh asks through huh forms on the given terminal streams.
type Huh struct {
	In  io.Reader
	Out io.Writer
}

var _ Prompter = (*Huh)(nil)

func (h *Huh) run(field huh.Field) error {
	err := huh.NewForm(huh.NewGroup(field)).WithInput(h.In).WithOutput(h.Out).WithShowHelp(false).Run()
	if errors.Is(err, huh.ErrUserAborted) {
		return cmdutil.ErrCancel
	}
	return err
}

// Input asks for a line of text, pre-filled with def.
func (h *Huh) Input(title, def string, validate func(string) error) (string, error) {
	v := def
	in := huh.NewInput().Title(title).Value(&v)
	if validate != nil {
		in = in.Validate(validate)
	}
	return v, h.run(in)
}

// Select asks for one of options, starting on def.
func (h *Huh) Select(title string, options []string, def string) (string, error) {
	v := def
	return v, h.run(huh.NewSelect[string]().Title(title).Options(huh.NewOptions(options...)...).Value(&v))
}

// Confirm asks yes or no.
func (h *Huh) Confirm(title string, def bool) (bool, error) {
	v := def
	return v, h.run(huh.NewConfirm().Title(title).Affirmative("Yes").Negative("No").Value(&v))
}
