package toml

import (
	"fmt"
	"math"
	"strconv"
	"time"

	gotoml "github.com/pelletier/go-toml/v2"
)

// durationUnit is what a bare number means for a legacy duration key.
type durationUnit struct {
	d    time.Duration
	name string
}

var (
	secondUnit = durationUnit{time.Second, "seconds"}
	msUnit     = durationUnit{time.Millisecond, "milliseconds"}
)

// castDuration turns a number of units into a duration string; strings
// pass through (the decoder parses them) and "" means unset (nil).
func castDuration(v any, unit durationUnit, path, src string) (*string, error) {
	var d float64
	switch v := v.(type) {
	case string:
		if v == "" {
			return nil, nil
		}
		return &v, nil
	case int64:
		d = float64(v) * float64(unit.d)
	case float64:
		d = v * float64(unit.d)
	default:
		return nil, errorf(path, src, "expected a duration like \"10s\" or a number of %s, got %s", unit.name, describe(v))
	}
	if math.IsNaN(d) || math.Abs(d) >= math.MaxInt64 {
		return nil, errorf(path, src, "%s is out of range for a duration", describe(v))
	}
	s := time.Duration(d).String()
	return &s, nil
}

// castIntKey turns a numeric string under key into an integer.
func castIntKey(m map[string]any, key, src string) error {
	v, ok := m[key]
	if !ok {
		return nil
	}
	switch n := v.(type) {
	case int64:
		return nil
	case string:
		if i, err := strconv.ParseInt(n, 10, 64); err == nil {
			m[key] = i
			return nil
		}
	case float64:
		if !math.IsNaN(n) && math.Abs(n) < 1<<53 {
			m[key] = int64(n)
			return nil
		}
	}
	path := joinKey(src, key)
	return errorf(path, path, "expected an integer, got %s", describe(v))
}

// castStringKey stringifies a scalar under key (memory = 512 → "512").
func castStringKey(m map[string]any, key, src string) error {
	v, ok := m[key]
	if !ok {
		return nil
	}
	s, ok := scalarString(v)
	if !ok {
		path := joinKey(src, key)
		return errorf(path, path, "expected a string or a number, got %s", describe(v))
	}
	m[key] = s
	return nil
}

// stringList turns a string under key into a one-element list.
func stringList(m map[string]any, key, path string) error {
	switch v := m[key].(type) {
	case nil:
		return nil
	case string:
		m[key] = []any{v}
		return nil
	case []any:
		for _, e := range v {
			if _, ok := e.(string); !ok {
				return errorf(path, path, "expected a string or an array of strings, got an array holding %s", describe(e))
			}
		}
		return nil
	default:
		return errorf(path, path, "expected a string or an array of strings, got %s", describe(v))
	}
}

// scalarString renders a scalar as flyctl stringifies env values; tables
// and arrays have no string form.
func scalarString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64, bool:
		return fmt.Sprint(v), true
	case time.Time:
		return v.Format(time.RFC3339Nano), true
	case gotoml.LocalDate, gotoml.LocalTime, gotoml.LocalDateTime:
		return fmt.Sprint(v), true
	}
	return "", false
}
