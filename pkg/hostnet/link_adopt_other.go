//go:build !linux

package hostnet

import "os"

// File answers ErrNotLinux.
func (*Link) File() (*os.File, error) { return nil, ErrNotLinux }

// AdoptLink answers ErrNotLinux.
func AdoptLink(string, *os.File) (*Link, error) { return nil, ErrNotLinux }
