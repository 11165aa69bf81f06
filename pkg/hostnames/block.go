package hostnames

import (
	"fmt"
	"net/netip"
	"strings"
)

// doc is a hosts file cut into parts that put back together give the file byte for byte.
type doc []part

// part is one line outside every hangar block (id "") or one whole hangar block.
type part struct {
	text string // with its newlines; only the file's last line may lack one
	id   string // the installation owning the block
}

const (
	beginMarker = "# BEGIN hangar "
	endMarker   = "# END hangar "
	// maxLine keeps lines short enough for musl, which reads /etc/hosts with fgets into a
	// 512-byte buffer: 510 characters, the newline and the NUL.
	maxLine = 510
)

// parse cuts content into lines and hangar blocks.
func parse(content string) doc {
	lines := strings.SplitAfter(content, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var d doc
	for i := 0; i < len(lines); {
		id, ok := beginID(lines[i])
		if !ok {
			d = append(d, part{text: lines[i]})
			i++
			continue
		}
		n := blockLen(lines[i:], id)
		d = append(d, part{text: strings.Join(lines[i:i+n], ""), id: id})
		i += n
	}
	return d
}

// blockLen counts the lines of the block that lines start with: through its END line or, for a block a
// crash left without one, its BEGIN line, the hangar entry lines after it and a last line the crash cut
// off before its newline; whatever a person wrote after a half-written block survives its removal.
func blockLen(lines []string, id string) int {
	for i := 1; i < len(lines); i++ {
		if marker(lines[i]) == endMarker+id {
			return i + 1
		}
		if _, ok := beginID(lines[i]); ok {
			break
		}
	}
	n := 1
	for n < len(lines) && isEntryLine(lines[n]) {
		n++
	}
	if n == len(lines)-1 && !strings.HasSuffix(lines[n], "\n") {
		n++
	}
	return n
}

// beginID returns the installation of a BEGIN line.
func beginID(line string) (string, bool) {
	rest, ok := strings.CutPrefix(marker(line), beginMarker)
	if !ok {
		return "", false
	}
	id, _, _ := strings.Cut(rest, " ")
	return id, validID(id)
}

func marker(line string) string { return strings.TrimRight(line, " \t\r\n") }

// isEntryLine reports whether line looks like one this package writes: an address and Hangar's names.
func isEntryLine(line string) bool {
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return false
	}
	if _, err := netip.ParseAddr(fields[0]); err != nil {
		return false
	}
	for _, name := range fields[1:] {
		if validName(name) != nil {
			return false
		}
	}
	return true
}

// String puts the parts back together.
func (d doc) String() string {
	var b strings.Builder
	for _, p := range d {
		b.WriteString(p.text)
	}
	return b.String()
}

// withBlock replaces id's blocks by block, or removes them when block is "". The new block takes the
// place of the first old one, so that a file does not churn, or else goes at the end, after ending
// a last line that lacked its newline (the only byte ever changed outside a block).
func (d doc) withBlock(id, block string) doc {
	out := make(doc, 0, len(d)+1)
	placed := block == ""
	for _, p := range d {
		if p.id != id {
			out = append(out, p)
		} else if !placed {
			out = append(out, part{text: block, id: id})
			placed = true
		}
	}
	if !placed {
		if n := len(out); n > 0 && !strings.HasSuffix(out[n-1].text, "\n") {
			out[n-1].text += "\n"
		}
		out = append(out, part{text: block, id: id})
	}
	return out
}

// renderBlock writes id's block for lines, or "" when there is nothing to publish.
func renderBlock(id, desc string, lines []hostLine) string {
	if len(lines) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s — managed by the hangar agent of %s; removed when it stops. Do not edit.\n", beginMarker, id, desc)
	for _, l := range lines {
		writeLine(&b, l)
	}
	fmt.Fprintf(&b, "%s%s\n", endMarker, id)
	return b.String()
}

// writeLine writes l as one line, or as several lines of the same address when its names would make it longer than maxLine.
func writeLine(b *strings.Builder, l hostLine) {
	addr := l.addr.String()
	n := 0
	for _, name := range l.names {
		if n > 0 && n+1+len(name) > maxLine {
			b.WriteByte('\n')
			n = 0
		}
		if n == 0 {
			b.WriteString(addr + "\t")
			n = len(addr) + 1
		} else {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(name)
		n += len(name)
	}
	b.WriteByte('\n')
}
