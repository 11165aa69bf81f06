package hostnames

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// hostLine is one address and every name that resolves to it, the shape of a hosts-file line.
type hostLine struct {
	addr  netip.Addr
	names []string
}

// table validates entries and groups them by address, sorted by address and then by name, so that
// the same entries always give the same bytes and an unchanged set never rewrites the hosts file.
func table(entries []Entry) ([]hostLine, error) {
	byAddr := map[netip.Addr][]string{}
	for _, e := range entries {
		if err := validName(e.Name); err != nil {
			return nil, err
		}
		for _, a := range e.Addrs {
			if !a.IsValid() || a.IsUnspecified() || a.Zone() != "" {
				return nil, fmt.Errorf("%w %v for %s", ErrInvalidAddr, a, e.Name)
			}
			byAddr[a] = append(byAddr[a], e.Name)
		}
	}
	lines := make([]hostLine, 0, len(byAddr))
	for a, names := range byAddr {
		slices.SortFunc(names, byDepth)
		lines = append(lines, hostLine{addr: a, names: slices.Compact(names)})
	}
	slices.SortFunc(lines, func(x, y hostLine) int { return x.addr.Compare(y.addr) })
	return lines, nil
}

// byDepth puts shorter names first, so that an address's canonical name (the first on its line)
// is <app>.internal rather than <id>.vm.<app>.internal.
func byDepth(a, b string) int {
	if d := strings.Count(a, ".") - strings.Count(b, "."); d != 0 {
		return d
	}
	return strings.Compare(a, b)
}

// validName accepts only lowercase DNS names under .flycast or .internal: nothing else is Hangar's,
// and refusing the rest keeps a bug in the agent from shadowing a real host in /etc/hosts.
func validName(name string) error {
	if len(name) > 253 {
		return fmt.Errorf("%w %q: longer than 253 characters", ErrInvalidName, name)
	}
	if !strings.HasSuffix(name, ".flycast") && !strings.HasSuffix(name, ".internal") {
		return fmt.Errorf("%w %q: not under .flycast or .internal", ErrInvalidName, name)
	}
	for _, label := range strings.Split(name, ".") {
		if !validLabel(label) {
			return fmt.Errorf("%w %q: label %q is not 1 to 63 lowercase letters, digits and inner hyphens", ErrInvalidName, name, label)
		}
	}
	return nil
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, c := range []byte(l) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// validID accepts installation IDs of 1 to 32 lowercase hex digits, which need no quoting in a marker line.
func validID(id string) bool {
	if id == "" || len(id) > 32 {
		return false
	}
	return strings.Trim(id, "0123456789abcdef") == ""
}
