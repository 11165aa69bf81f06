package dns

import (
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// txtChunk is the longest character-string a TXT record can hold; longer
// values are split and clients concatenate the pieces.
const txtChunk = 255

// txtRRs returns one TXT record holding text, or none when text is empty
// (the name then exists without data).
func txtRRs(owner string, ttl uint32, text string) []dns.RR {
	if text == "" {
		return nil
	}
	var parts []string
	for len(text) > 0 {
		n := min(len(text), txtChunk)
		// miekg/dns reads backslashes in TXT strings as escapes.
		parts = append(parts, strings.ReplaceAll(text[:n], `\`, `\\`))
		text = text[n:]
	}
	return []dns.RR{&dns.TXT{Hdr: header(owner, dns.TypeTXT, ttl), Txt: parts}}
}

// vmsText is Fly's "id region" pairs, comma separated, of the started
// machines (all machines when all is set).
func vmsText(ms []MachineRecord, all bool) string {
	var pairs []string
	for _, m := range ms {
		if all || m.Started {
			pairs = append(pairs, m.ID+" "+m.Region)
		}
	}
	return strings.Join(pairs, ",")
}

// regionsText is the sorted, distinct regions of the started machines
// (all machines when all is set), comma separated.
func regionsText(ms []MachineRecord, all bool) string {
	var regions []string
	for _, m := range ms {
		if all || m.Started {
			regions = append(regions, m.Region)
		}
	}
	slices.Sort(regions)
	return strings.Join(slices.Compact(regions), ",")
}
