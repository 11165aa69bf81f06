package toml

import (
	"encoding"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	gotoml "github.com/pelletier/go-toml/v2"
)

// field is one struct field as the toml tag describes it.
type field struct {
	name      string
	index     int
	omitempty bool
}

// structInfo is what the decoder and the writer need to know of a struct:
// its tagged fields in declaration order and where its Extra map is.
type structInfo struct {
	fields []field
	byName map[string]int // name → position in fields
	extra  int            // index of the Extra field, -1 when there is none
}

var structInfos sync.Map // reflect.Type → *structInfo

func infoOf(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: map[string]int{}, extra: -1}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		switch {
		case !f.IsExported():
			continue
		case f.Name == "Extra" && f.Type == extraType:
			si.extra = i
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if name == "-" || name == "" {
			continue
		}
		si.byName[name] = len(si.fields)
		si.fields = append(si.fields, field{name: name, index: i, omitempty: opts == "omitempty"})
	}
	structInfos.Store(t, si)
	return si
}

var (
	extraType    = reflect.TypeFor[map[string]any]()
	durationType = reflect.TypeFor[Duration]()
	autoStopType = reflect.TypeFor[AutoStop]()
	textType     = reflect.TypeFor[encoding.TextMarshaler]()
)

// isScalarStruct reports the struct types TOML writes as one value.
func isScalarStruct(t reflect.Type) bool {
	switch t {
	case reflect.TypeFor[time.Time](), reflect.TypeFor[gotoml.LocalDate](),
		reflect.TypeFor[gotoml.LocalTime](), reflect.TypeFor[gotoml.LocalDateTime]():
		return true
	}
	return t.Implements(textType)
}

// sortedMapKeys returns the keys of a string-keyed map, sorted.
func sortedMapKeys(v reflect.Value) []string {
	keys := make([]string, 0, v.Len())
	for _, k := range v.MapKeys() {
		keys = append(keys, k.String())
	}
	slices.Sort(keys)
	return keys
}

// isBareKey reports whether key can be written without quotes.
func isBareKey(key string) bool {
	if key == "" {
		return false
	}
	for _, c := range []byte(key) {
		ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}
