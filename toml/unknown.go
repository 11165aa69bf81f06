package toml

import (
	"reflect"
	"slices"
)

// UnknownKeys returns the key paths flyctl does not know (the contents of
// every Extra map), such as "http_service.foo" or "services[1].bar", in
// file order. `config validate --strict` reports them.
func (c *Config) UnknownKeys() []string {
	var keys []string
	collectUnknown(reflect.ValueOf(c).Elem(), "", &keys)
	slices.SortStableFunc(keys, func(a, b string) int { return c.Line(a) - c.Line(b) })
	return keys
}

func collectUnknown(v reflect.Value, path string, keys *[]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectUnknown(v.Elem(), path, keys)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			collectUnknown(v.Index(i), joinIndex(path, i), keys)
		}
	case reflect.Map:
		if v.Type() == extraType {
			return // free-form tables such as [build.settings]
		}
		for _, k := range sortedMapKeys(v) {
			collectUnknown(v.MapIndex(reflect.ValueOf(k)), joinKey(path, k), keys)
		}
	case reflect.Struct:
		collectStructUnknown(v, path, keys)
	}
}

func collectStructUnknown(v reflect.Value, path string, keys *[]string) {
	if isScalarStruct(v.Type()) {
		return
	}
	si := infoOf(v.Type())
	for _, f := range si.fields {
		collectUnknown(v.Field(f.index), joinKey(path, f.name), keys)
	}
	if si.extra >= 0 {
		for _, k := range sortedKeys(v.Field(si.extra).Interface().(map[string]any)) {
			*keys = append(*keys, joinKey(path, k))
		}
	}
}
