package cmdutil

import (
	"errors"
	"fmt"
)

// FlagError is a mistake in the command line: the usage hint is shown and the exit code is 2.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a FlagError.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// ErrSilent means the command already printed why it failed.
var ErrSilent = errors.New("silent error")

// ErrCancel means the user declined a prompt.
var ErrCancel = errors.New("cancelled")

// ExitCodeError is a command run elsewhere (hangar ssh console -C) that exited with
// Code: hangar exits with it too, and prints nothing more.
type ExitCodeError struct{ Code int }

func (e *ExitCodeError) Error() string { return fmt.Sprintf("exit code %d", e.Code) }
