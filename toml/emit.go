package toml

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	gotoml "github.com/pelletier/go-toml/v2"
)

// emitter writes a table tree in the layout of go-toml's encoder with
// SetIndentTables(true), which is what flyctl writes: key/values of a
// table before its sub-tables, sub-tables indented two spaces per level,
// a blank line before a header unless it follows another header.
type emitter struct {
	buf           []byte
	lastWasHeader bool
}

func emit(t *table) []byte {
	e := &emitter{}
	e.table(nil, t, 0)
	return e.buf
}

func (e *emitter) table(path []string, t *table, indent int) {
	for i, k := range t.keys {
		if !isTableLike(t.vals[i]) {
			e.keyValue(k, t.vals[i], indent)
		}
	}
	for i, k := range t.keys {
		sub := append(slices.Clip(path), k)
		switch v := t.vals[i].(type) {
		case *table:
			e.header(sub, false, indent)
			e.table(sub, v, indent+1)
		case []any:
			if !isArrayOfTables(v) {
				continue
			}
			for _, elem := range v {
				e.header(sub, true, indent)
				e.table(sub, elem.(*table), indent+1)
			}
		}
	}
}

func isTableLike(v any) bool {
	switch v := v.(type) {
	case *table:
		return true
	case []any:
		return isArrayOfTables(v)
	}
	return false
}

func isArrayOfTables(v []any) bool {
	for _, elem := range v {
		if _, ok := elem.(*table); !ok {
			return false
		}
	}
	return len(v) > 0
}

func (e *emitter) header(path []string, array bool, indent int) {
	if len(e.buf) > 0 && !e.lastWasHeader {
		e.buf = append(e.buf, '\n')
	}
	e.buf = append(e.buf, strings.Repeat("  ", indent)...)
	open, close := "[", "]"
	if array {
		open, close = "[[", "]]"
	}
	e.buf = append(e.buf, open...)
	for i, k := range path {
		if i > 0 {
			e.buf = append(e.buf, '.')
		}
		e.buf = appendKey(e.buf, k)
	}
	e.buf = append(e.buf, close...)
	e.buf = append(e.buf, '\n')
	e.lastWasHeader = true
}

func (e *emitter) keyValue(k string, v any, indent int) {
	e.buf = append(e.buf, strings.Repeat("  ", indent)...)
	e.buf = appendKey(e.buf, k)
	e.buf = append(e.buf, " = "...)
	e.buf = appendValue(e.buf, v)
	e.buf = append(e.buf, '\n')
	e.lastWasHeader = false
}

func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		return appendString(b, v)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case float64:
		return appendFloat(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case time.Time:
		return v.AppendFormat(b, "2006-01-02T15:04:05.999999999Z07:00")
	case gotoml.LocalDate, gotoml.LocalTime, gotoml.LocalDateTime:
		return fmt.Append(b, v)
	case *table:
		return appendInlineTable(b, v)
	case []any:
		return appendArray(b, v)
	}
	return b
}

func appendArray(b []byte, v []any) []byte {
	b = append(b, '[')
	for i, elem := range v {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendValue(b, elem)
	}
	return append(b, ']')
}

func appendInlineTable(b []byte, t *table) []byte {
	b = append(b, '{')
	for i, k := range t.keys {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendKey(b, k)
		b = append(b, " = "...)
		b = appendValue(b, t.vals[i])
	}
	return append(b, '}')
}
