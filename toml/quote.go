package toml

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The scalar spellings below are go-toml's encoder's: floats always carry
// a fraction or exponent, strings are 'literal' unless they hold a quote
// or a control character.

func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'f', -1, 64)
	if !strings.ContainsAny(string(b[start:]), ".eE") {
		b = append(b, ".0"...)
	}
	return b
}

func appendKey(b []byte, k string) []byte {
	if isBareKey(k) {
		return append(b, k...)
	}
	return appendString(b, k)
}

// appendString writes a literal 'string' when it can hold s, else a basic
// "string" with escapes.
func appendString(b []byte, s string) []byte {
	if canBeLiteral(s) {
		b = append(b, '\'')
		b = append(b, s...)
		return append(b, '\'')
	}
	b = append(b, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b = appendEscaped(b, s[i], r, size)
		i += size
	}
	return append(b, '"')
}

func appendEscaped(b []byte, c byte, r rune, size int) []byte {
	switch {
	case c == '"' || c == '\\':
		return append(b, '\\', c)
	case c == '\b':
		return append(b, `\b`...)
	case c == '\f':
		return append(b, `\f`...)
	case c == '\n':
		return append(b, `\n`...)
	case c == '\r':
		return append(b, `\r`...)
	case c == '\t':
		return append(b, `\t`...)
	case c < 0x20 || c == 0x7f || r == utf8.RuneError && size == 1:
		return fmt.Appendf(b, `\u%04X`, c)
	}
	return utf8.AppendRune(b, r)
}

func canBeLiteral(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\'' || c == 0x7f || c < 0x20 {
			return false
		}
	}
	return utf8.ValidString(s)
}
