package toml

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	gotoml "github.com/pelletier/go-toml/v2"
)

// Load reads and parses the fly.toml at path; messages name the file as
// path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading fly.toml: %w", err)
	}
	return Parse(path, data)
}

// Parse reads a fly.toml the way flyctl does: TOML into a plain map, legacy
// shapes normalised (see patches.go), then decoded into a Config. Keys
// flyctl does not know are kept in the Extra maps. filename is used only in
// messages. Errors are *ParseError and name the line (and the key).
func Parse(filename string, data []byte) (*Config, error) {
	doc := map[string]any{}
	if err := gotoml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(filename, err)
	}
	raw := indexLines(data)
	cfg, err := decodeDoc(doc, raw)
	if err != nil {
		return nil, valueParseError(filename, raw, err)
	}
	cfg.file = filename
	return cfg, nil
}

func decodeDoc(doc map[string]any, raw map[string]int) (*Config, error) {
	origin, err := normalise(doc)
	if err != nil {
		return nil, err
	}
	d := &decoder{origin: origin, raw: raw, lines: map[string]int{}}
	cfg := &Config{}
	if err := d.structValue(reflect.ValueOf(cfg).Elem(), doc, "", ""); err != nil {
		return nil, err
	}
	cfg.lines = d.lines
	dropEmptySections(cfg)
	return cfg, nil
}

// dropEmptySections removes an [experimental] or [build] that holds only
// empty sub-tables. flyctl drops these sections when they are empty; one
// holding only empty sub-tables would be written as an empty table and
// dropped on the next read, so a round trip would change the config.
func dropEmptySections(c *Config) {
	if c.Experimental != nil && isEmptyStruct(reflect.ValueOf(c.Experimental).Elem()) {
		c.Experimental = nil
	}
	if c.Build != nil && isEmptyStruct(reflect.ValueOf(c.Build).Elem()) {
		c.Build = nil
	}
}

func syntaxError(filename string, err error) error {
	pe := &ParseError{File: filename, Msg: err.Error(), Err: ErrSyntax}
	var de *gotoml.DecodeError
	if errors.As(err, &de) {
		pe.Line, pe.Column = de.Position()
		pe.Msg = strings.TrimPrefix(de.Error(), "toml: ")
	}
	return pe
}

func valueParseError(filename string, raw map[string]int, err error) error {
	var ve *valueError
	if !errors.As(err, &ve) {
		return fmt.Errorf("parsing %s: %w", filename, err)
	}
	return &ParseError{File: filename, Line: lookupLine(raw, ve.src), Key: ve.path, Msg: ve.msg, Err: ErrValue}
}

// Line returns the line the key at path (e.g. "services[0].ports[1].port")
// was read from, or the line of its table when the key is absent, or 0 for
// a config that was not parsed from a file.
func (c *Config) Line(path string) int {
	return lookupLine(c.lines, path)
}

// FileName returns the name the config was parsed under ("" when built in code).
func (c *Config) FileName() string { return c.file }
