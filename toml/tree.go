package toml

import (
	"encoding"
	"reflect"
	"time"

	gotoml "github.com/pelletier/go-toml/v2"
)

// table is an ordered TOML table, the shape the emitter writes. Values are
// string, int64, float64, bool, a date/time value, *table or []any.
type table struct {
	keys []string
	vals []any
}

func (t *table) add(k string, v any) {
	t.keys = append(t.keys, k)
	t.vals = append(t.vals, v)
}

// treeOf converts a Go value with the rules go-toml's encoder applies to
// flyctl's structs, so the output matches flyctl's: fields in declaration
// order, nil pointers and maps skipped, omitempty honoured, map keys sorted,
// text marshalers (Duration) as strings. Extra keys follow the known ones.
func treeOf(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return treeOf(reflect.Zero(v.Type().Elem()))
		}
		return treeOf(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return treeOf(v.Elem())
	case reflect.Struct:
		if isScalarStruct(v.Type()) {
			return scalarOf(v)
		}
		return structTree(v)
	case reflect.Map:
		return mapTree(v)
	case reflect.Slice, reflect.Array:
		return sliceTree(v)
	}
	return basicOf(v)
}

func basicOf(v reflect.Value) any {
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(v.Uint())
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return nil
}

// scalarOf handles the struct types written as one value.
func scalarOf(v reflect.Value) any {
	switch x := v.Interface().(type) {
	case time.Time, gotoml.LocalDate, gotoml.LocalTime, gotoml.LocalDateTime:
		return x
	case encoding.TextMarshaler:
		text, _ := x.MarshalText()
		return string(text)
	}
	return nil
}

func structTree(v reflect.Value) *table {
	si := infoOf(v.Type())
	t := &table{}
	for _, f := range si.fields {
		fv := v.Field(f.index)
		if !omitted(fv, f.omitempty) {
			t.add(f.name, treeOf(fv))
		}
	}
	if si.extra < 0 {
		return t
	}
	extra := v.Field(si.extra).Interface().(map[string]any)
	for _, k := range sortedKeys(extra) {
		if _, known := si.byName[k]; !known && extra[k] != nil {
			t.add(k, treeOf(reflect.ValueOf(extra[k])))
		}
	}
	return t
}

func mapTree(v reflect.Value) *table {
	t := &table{}
	for _, k := range sortedMapKeys(v) {
		val := v.MapIndex(reflect.ValueOf(k))
		if val.Kind() == reflect.Interface && val.IsNil() {
			continue
		}
		t.add(k, treeOf(val))
	}
	return t
}

func sliceTree(v reflect.Value) []any {
	out := make([]any, 0, v.Len())
	for i := 0; i < v.Len(); i++ {
		if e := treeOf(v.Index(i)); e != nil {
			out = append(out, e)
		}
	}
	return out
}

// omitted reports whether go-toml leaves a struct field out.
func omitted(v reflect.Value, omitempty bool) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Interface:
		if v.IsNil() {
			return true
		}
	}
	return omitempty && isEmpty(v)
}

// isEmpty is go-toml's omitempty test, except that a struct holding Extra
// keys is not empty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Struct:
		if isScalarStruct(v.Type()) {
			return v.IsZero()
		}
		return isEmptyStruct(v)
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Map, reflect.Slice, reflect.Array, reflect.String:
		return v.Len() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	}
	return v.IsZero()
}

func isEmptyStruct(v reflect.Value) bool {
	si := infoOf(v.Type())
	for _, f := range si.fields {
		if !isEmpty(v.Field(f.index)) {
			return false
		}
	}
	return si.extra < 0 || v.Field(si.extra).Len() == 0
}
