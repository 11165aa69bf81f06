// Package launch turns launch flags, prompts and the working directory into an app plan and its fly.toml.
package launch

import (
	"fmt"
	"strings"
)

// MaxNameLength keeps an app name a single DNS label, since it becomes <app>.flycast.
const MaxNameLength = 63

// ValidateAppName applies flyctl's rule (lowercase letters, digits, dashes) plus the DNS-label
// limits that <app>.flycast and <app>.internal need.
func ValidateAppName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: the app name is empty; give one with --name", ErrInvalidName)
	case len(name) > MaxNameLength:
		return fmt.Errorf("%w: %q is %d characters; an app name has at most %d", ErrInvalidName, name, len(name), MaxNameLength)
	case strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789-") != "":
		return fmt.Errorf("%w: %q: app name must consist of only lowercase letters, numbers, and dashes", ErrInvalidName, name)
	case name[0] == '-' || name[len(name)-1] == '-':
		return fmt.Errorf("%w: %q: app name must not start or end with a dash", ErrInvalidName, name)
	}
	return nil
}

// SanitizeAppName derives a name from free text (a directory name) as flyctl does: drop
// non-ASCII, lowercase, turn each run of other characters into one dash, trim dashes.
func SanitizeAppName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r > 127:
			continue
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > MaxNameLength {
		name = strings.TrimRight(name[:MaxNameLength], "-")
	}
	return name
}

// ValidateOrgSlug keeps organization slugs to the same characters as app names.
func ValidateOrgSlug(slug string) error {
	if slug == "" || strings.Trim(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || len(slug) > MaxNameLength {
		return fmt.Errorf("%w: organization %q must be 1-%d lowercase letters, numbers, and dashes", ErrInvalidName, slug, MaxNameLength)
	}
	return nil
}
