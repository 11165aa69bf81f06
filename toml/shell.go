package toml

import "errors"

// checkShellWords reports whether s splits into words the way flyctl's
// shlex does: every quote closed, no dangling backslash.
func checkShellWords(s string) error {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			}
		case c == '\\':
			if i == len(s)-1 {
				return errors.New("ends with a backslash")
			}
			i++
		case quote == '"':
			if c == '"' {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		}
	}
	if quote != 0 {
		return errors.New("has a quote that is never closed")
	}
	return nil
}
