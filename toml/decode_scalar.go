package toml

import (
	"math"
	"reflect"
	"slices"
	"time"
)

// kindNames say what a scalar field expects, for messages.
var kindNames = map[reflect.Kind]string{
	reflect.String: "a string", reflect.Bool: "true or false",
	reflect.Int: "an integer", reflect.Float64: "a number",
}

func (d *decoder) scalar(v reflect.Value, raw any, path, src string) error {
	if setScalar(v, raw) {
		return nil
	}
	return errorf(path, src, "expected %s, got %s", kindNames[v.Kind()], describe(raw))
}

func setScalar(v reflect.Value, raw any) bool {
	switch v.Kind() {
	case reflect.String:
		s, ok := raw.(string)
		v.SetString(s)
		return ok
	case reflect.Bool:
		b, ok := raw.(bool)
		v.SetBool(b)
		return ok
	case reflect.Int:
		n, ok := asInt(raw)
		v.SetInt(n)
		return ok
	case reflect.Float64:
		f, ok := asFloat(raw)
		v.SetFloat(f)
		return ok
	}
	return false
}

func (d *decoder) autoStop(v reflect.Value, raw any, path, src string) error {
	a, err := ParseAutoStop(raw)
	if err != nil {
		return errorf(path, src, "%v", err)
	}
	v.SetString(string(a))
	return nil
}

func (d *decoder) duration(v reflect.Value, raw any, path, src string) error {
	switch raw := raw.(type) {
	case string:
		dur, err := time.ParseDuration(raw)
		if err != nil {
			return errorf(path, src, "expected a duration like \"5s\" or \"1m30s\", got %q", raw)
		}
		v.Set(reflect.ValueOf(Duration{dur}))
		return nil
	case int64:
		// A bare number is nanoseconds, as in flyctl; the legacy keys where
		// it means seconds or milliseconds were converted by the normaliser.
		v.Set(reflect.ValueOf(Duration{time.Duration(raw)}))
		return nil
	}
	return errorf(path, src, "expected a duration like \"5s\" or \"1m30s\", got %s", describe(raw))
}

func asInt(raw any) (int64, bool) {
	switch n := raw.(type) {
	case int64:
		return n, true
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), true
		}
	}
	return 0, false
}

func asFloat(raw any) (float64, bool) {
	switch n := raw.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
