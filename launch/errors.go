package launch

import (
	"errors"
	"fmt"
)

// ErrInvalidName is wrapped by every app-name and organization-slug error.
var ErrInvalidName = errors.New("invalid app name")

func errPort(s string) error { return fmt.Errorf("internal port must be a number 1-65535, got %q", s) }
