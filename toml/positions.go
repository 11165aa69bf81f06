package toml

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// Key paths name a value the way messages print it: dotted keys, array
// elements by index, keys that are not bare TOML keys quoted:
//
//	http_service.internal_port   services[0].ports[1].port   env."MY.VAR"
func joinKey(base, key string) string {
	if !isBareKey(key) {
		key = strconv.Quote(key)
	}
	if base == "" {
		return key
	}
	return base + "." + key
}

func joinIndex(base string, i int) string { return base + "[" + strconv.Itoa(i) + "]" }

// parentPath drops the last segment of a key path.
func parentPath(p string) string {
	switch {
	case strings.HasSuffix(p, "]"):
		return p[:strings.LastIndexByte(p, '[')]
	case strings.HasSuffix(p, `"`):
		return strings.TrimSuffix(p[:quotedStart(p)], ".")
	}
	i := strings.LastIndexByte(p, '.')
	if i < 0 {
		return ""
	}
	return p[:i]
}

// quotedStart finds the opening quote of the quoted segment ending p.
func quotedStart(p string) int {
	for j := len(p) - 2; j >= 0; j-- {
		if p[j] != '"' {
			continue
		}
		slashes := 0
		for k := j - 1; k >= 0 && p[k] == '\\'; k-- {
			slashes++
		}
		if slashes%2 == 0 {
			return j
		}
	}
	return 0
}

// lookupLine returns the line of path, or of its nearest ancestor present
// in lines (the table holding a missing key), or 0.
func lookupLine(lines map[string]int, path string) int {
	for p := path; ; p = parentPath(p) {
		if l, ok := lines[p]; ok {
			return l
		}
		if p == "" {
			return 0
		}
	}
}

// indexer builds the key path → line index of a document from go-toml's
// unstable parser: table headers, array-of-table headers with their index,
// and every key/value including those inside inline tables and arrays.
type indexer struct {
	lines  map[string]int
	arrays map[string]int // array-of-tables path → entries seen so far
	starts []int          // byte offset where each line starts
	table  string         // path of the table the next key/values belong to
}

func indexLines(data []byte) map[string]int {
	ix := &indexer{lines: map[string]int{}, arrays: map[string]int{}, starts: lineStarts(data)}
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		n := p.Expression()
		switch n.Kind {
		case unstable.Table, unstable.ArrayTable:
			ix.table = ix.header(n)
		case unstable.KeyValue:
			ix.keyValue(ix.table, n, 0)
		}
	}
	return ix.lines
}

func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// line is the 1-based line of n, or fallback when n carries no position.
func (ix *indexer) line(n *unstable.Node, fallback int) int {
	if n == nil || n.Raw.Length == 0 {
		return fallback
	}
	return sort.SearchInts(ix.starts, int(n.Raw.Offset)+1)
}

func (ix *indexer) header(n *unstable.Node) string {
	parts, first := keyParts(n.Key())
	line := ix.line(first, 0)
	path := ""
	for i, part := range parts {
		path = joinKey(path, part)
		switch {
		case i == len(parts)-1 && n.Kind == unstable.ArrayTable:
			ix.arrays[path]++
			ix.mark(path, line)
			path = joinIndex(path, ix.arrays[path]-1)
		case ix.arrays[path] > 0:
			path = joinIndex(path, ix.arrays[path]-1)
		}
		ix.mark(path, line)
	}
	ix.lines[path] = line
	return path
}

func (ix *indexer) keyValue(base string, n *unstable.Node, fallback int) {
	parts, first := keyParts(n.Key())
	line := ix.line(first, fallback)
	path := base
	for _, part := range parts {
		path = joinKey(path, part)
		ix.mark(path, line)
	}
	ix.value(path, n.Value(), line)
}

func keyParts(it unstable.Iterator) (parts []string, first *unstable.Node) {
	for it.Next() {
		if first == nil {
			first = it.Node()
		}
		parts = append(parts, string(it.Node().Data))
	}
	return parts, first
}

func (ix *indexer) value(path string, v *unstable.Node, line int) {
	switch v.Kind {
	case unstable.InlineTable:
		for it := v.Children(); it.Next(); {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				ix.keyValue(path, c, line)
			}
		}
	case unstable.Array:
		i := 0
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			elem := joinIndex(path, i)
			ix.mark(elem, ix.line(c, line))
			ix.value(elem, c, ix.line(c, line))
			i++
		}
	}
}

// mark records the first line a path shows up on.
func (ix *indexer) mark(path string, line int) {
	if _, ok := ix.lines[path]; !ok {
		ix.lines[path] = line
	}
}
