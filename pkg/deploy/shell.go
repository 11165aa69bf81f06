package deploy

import (
	"errors"
	"strings"
)

// splitWords splits a [processes] command into words as flyctl's shlex
// does: blanks separate words, single quotes keep everything, double quotes
// keep everything but backslash escapes, a backslash outside quotes keeps
// the next character.
func splitWords(s string) ([]string, error) {
	var words []string
	var word strings.Builder
	inWord, quote, escaped := false, rune(0), false
	for _, r := range s {
		switch {
		case escaped:
			word.WriteRune(r)
			escaped = false
		case r == '\\' && quote != '\'':
			escaped, inWord = true, true
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words, inWord = append(words, word.String()), false
				word.Reset()
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	switch {
	case escaped:
		return nil, errors.New("it ends with a backslash")
	case quote != 0:
		return nil, errors.New("it has a quote that is never closed")
	case inWord:
		words = append(words, word.String())
	}
	return words, nil
}
