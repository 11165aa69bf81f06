package secrets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Parse reads NAME=VALUE lines as `fly secrets import` does: blank lines and lines
// starting with # are skipped, spaces around the name and before the value dropped, a
// value in "…" or '…' unquoted, a # comment after it cut (unless inside an odd number of
// "), and a value opened with """ runs to the line that ends with """, newlines kept.
// A later line of a name wins. Unlike flyctl, an unclosed """ or an oversized value is an
// error, and no error holds any part of a line: only its number and the name.
func Parse(r io.Reader) (map[string]string, error) {
	p := parser{out: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, MaxValue+4096) // a line of a name and a value of 64 KiB
	for sc.Scan() {
		p.line++
		if err := p.add(sc.Text()); err != nil {
			return nil, fmt.Errorf("line %d: %w", p.line, err)
		}
	}
	switch err := sc.Err(); {
	case errors.Is(err, bufio.ErrTooLong):
		return nil, fmt.Errorf("line %d: longer than 64 KiB, the limit of a value", p.line+1)
	case err != nil:
		return nil, err
	case p.open != "":
		return nil, fmt.Errorf("line %d: the value of %s opens with \"\"\" and is never closed", p.openedAt, p.open)
	}
	return p.out, nil
}

type parser struct {
	out      map[string]string
	line     int
	open     string // the name whose """ value is being read
	openedAt int
	value    strings.Builder
}

func (p *parser) add(line string) error {
	if p.open != "" {
		before, done := strings.CutSuffix(line, `"""`)
		p.value.WriteString(before)
		if !done {
			p.value.WriteString("\n")
			return p.check(p.open, p.value.String())
		}
		name := p.open
		p.open = ""
		return p.set(name, p.value.String())
	}
	if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
		return nil
	}
	name, value, ok := strings.Cut(line, "=")
	if !ok {
		return errors.New("secrets must be provided as NAME=VALUE pairs")
	}
	name = strings.TrimSpace(name)
	if err := CheckName(name); err != nil {
		return err
	}
	value = strings.TrimLeft(value, " ")
	if l, _, ok := strings.Cut(value, "#"); ok && strings.Count(l, `"`)%2 == 0 {
		value = strings.TrimRight(l, " ")
	}
	switch {
	case len(value) >= 6 && strings.HasPrefix(value, `"""`) && strings.HasSuffix(value, `"""`):
		value = value[3 : len(value)-3]
	case strings.HasPrefix(value, `"""`):
		p.open, p.openedAt = name, p.line
		p.value.Reset()
		p.value.WriteString(value[3:] + "\n")
		return nil
	case len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0]:
		value = value[1 : len(value)-1]
	}
	return p.set(name, value)
}

func (p *parser) set(name, value string) error {
	if err := p.check(name, value); err != nil {
		return err
	}
	p.out[name] = value
	return nil
}

func (p *parser) check(name, value string) error {
	if len(value) > MaxValue {
		return fmt.Errorf("the value of %s is over 64 KiB, the limit", name)
	}
	return nil
}
