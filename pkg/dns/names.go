package dns

import (
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// zone is one of the two private zones, or everything else.
type zone uint8

const (
	zoneOther zone = iota // forwarded upstream
	zoneFlycast
	zoneInternal
	numZones
)

// kind is the form of a name inside a private zone.
type kind uint8

const (
	kindNone       kind = iota // no form matches: the name does not exist
	kindApex                   // flycast. or internal.
	kindFlycast                // <app>.flycast
	kindApp                    // <app>.internal, global.<app>.internal
	kindRegion                 // <region>.<app>.internal
	kindVM                     // <id>.vm.<app>.internal
	kindProcess                // <group>.process.<app>.internal
	kindNearest                // top<n>.nearest.of.<app>.internal
	kindBranch                 // vm., process., of., nearest.of.<app>.internal: parents of other names
	kindAppsTXT                // _apps.internal
	kindVMsTXT                 // [all.]vms.<app>.internal
	kindRegionsTXT             // [all.]regions.<app>.internal
)

// lookup is a query name parsed into what it asks for.
type lookup struct {
	zone zone
	kind kind
	app  string // lower case
	sel  string // region, machine id or process group, lower case
	n    int    // how many machines top<n> asks for
	all  bool   // all.vms / all.regions: stopped machines too
}

// keywords are the labels with a meaning right left of <app>.internal.
var keywords = map[string]kind{
	"global": kindApp, "vms": kindVMsTXT, "regions": kindRegionsTXT,
	"vm": kindBranch, "process": kindBranch, "of": kindBranch,
}

// parseName parses a query name, case-insensitively. Escaped labels never
// match a form, since app names, ids and regions have no special bytes.
func parseName(name string) lookup {
	labels := dns.SplitDomainName(strings.ToLower(name))
	if len(labels) == 0 {
		return lookup{}
	}
	last, rest := labels[len(labels)-1], labels[:len(labels)-1]
	switch {
	case last == "flycast" && len(rest) == 0:
		return lookup{zone: zoneFlycast, kind: kindApex}
	case last == "flycast" && len(rest) == 1:
		return lookup{zone: zoneFlycast, kind: kindFlycast, app: rest[0]}
	case last == "flycast":
		return lookup{zone: zoneFlycast}
	case last == "internal":
		return parseInternal(rest)
	}
	return lookup{}
}

// parseInternal parses the labels left of "internal".
func parseInternal(l []string) lookup {
	switch {
	case len(l) == 0:
		return lookup{zone: zoneInternal, kind: kindApex}
	case len(l) == 1 && l[0] == "_apps":
		return lookup{zone: zoneInternal, kind: kindAppsTXT}
	}
	lk := appForm(l[:len(l)-1])
	lk.zone, lk.app = zoneInternal, l[len(l)-1]
	return lk
}

// appForm parses the labels left of <app>.internal.
func appForm(l []string) lookup {
	switch len(l) {
	case 0:
		return lookup{kind: kindApp}
	case 1:
		if k, ok := keywords[l[0]]; ok {
			return lookup{kind: k}
		}
		return lookup{kind: kindRegion, sel: l[0]}
	case 2:
		return twoLabels(l[0], l[1])
	case 3:
		if n, ok := topN(l[0]); ok && l[1] == "nearest" && l[2] == "of" {
			return lookup{kind: kindNearest, n: n}
		}
	}
	return lookup{}
}

// twoLabels parses <sel>.<parent>.<app>.internal.
func twoLabels(sel, parent string) lookup {
	switch {
	case parent == "vm":
		return lookup{kind: kindVM, sel: sel}
	case parent == "process":
		return lookup{kind: kindProcess, sel: sel}
	case parent == "vms" && sel == "all":
		return lookup{kind: kindVMsTXT, all: true}
	case parent == "regions" && sel == "all":
		return lookup{kind: kindRegionsTXT, all: true}
	case parent == "of" && sel == "nearest":
		return lookup{kind: kindBranch}
	}
	return lookup{}
}

// topN parses "top<n>" with n ≥ 1.
func topN(label string) (int, bool) {
	digits, ok := strings.CutPrefix(label, "top")
	if !ok || digits == "" || digits[0] < '0' || digits[0] > '9' {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil && n > 0
}

// privateReverse is the reverse-lookup zone of fdaa::/16.
const privateReverse = "a.a.d.f.ip6.arpa."

// isPrivateReverse reports whether name is a reverse lookup of an fdaa: address (or of
// the zone itself): answered here, so private addresses never reach upstream resolvers.
func isPrivateReverse(name string) bool {
	name = strings.ToLower(dns.Fqdn(name))
	return name == privateReverse || strings.HasSuffix(name, "."+privateReverse)
}
