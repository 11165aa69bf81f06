package toml

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	gotoml "github.com/pelletier/go-toml/v2"
)

var (
	// ErrSyntax is wrapped by a ParseError for a file that is not valid TOML.
	ErrSyntax = errors.New("invalid TOML")
	// ErrValue is wrapped by a ParseError for valid TOML holding a value of
	// the wrong type or shape for its key (a string port that is not a
	// number, concurrency = 20, an autostop of "sometimes", ...).
	ErrValue = errors.New("invalid value")
)

// ParseError is a fly.toml that could not be read. Its message names the
// file, the line and, for a bad value, the key:
//
//	fly.toml:3: expected ']' to close table name (column 5)
//	fly.toml:9: http_service.internal_port: expected an integer, got "abc"
type ParseError struct {
	File   string
	Line   int    // 0 when unknown
	Column int    // set for syntax errors
	Key    string // set for value errors, e.g. services[0].ports[1].port
	Msg    string
	Err    error // ErrSyntax or ErrValue
}

func (e *ParseError) Error() string {
	msg := e.Msg
	if e.Key != "" {
		msg = e.Key + ": " + msg
	}
	if e.Column > 0 {
		msg += fmt.Sprintf(" (column %d)", e.Column)
	}
	return location(e.File, e.Line) + ": " + msg
}

// Unwrap returns ErrSyntax or ErrValue.
func (e *ParseError) Unwrap() error { return e.Err }

// valueError is raised while normalising or decoding; Parse turns it into
// a ParseError once the key's line is known.
type valueError struct {
	path, src string
	msg       string
}

func (e *valueError) Error() string { return e.path + ": " + e.msg }

func errorf(path, src, format string, args ...any) error {
	return &valueError{path: path, src: src, msg: fmt.Sprintf(format, args...)}
}

// location renders "file:line", or just the file when the line is unknown.
func location(file string, line int) string {
	if file == "" {
		file = "fly.toml"
	}
	if line <= 0 {
		return file
	}
	return file + ":" + strconv.Itoa(line)
}

// describe renders a decoded TOML value for an error message.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case map[string]any:
		return "a table"
	case []any:
		return "an array"
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case gotoml.LocalDate, gotoml.LocalTime, gotoml.LocalDateTime:
		return fmt.Sprint(v)
	case nil:
		return "nothing"
	}
	return fmt.Sprint(v)
}
