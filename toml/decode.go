package toml

import "reflect"

// decoder fills a Config from the normalised document. It tracks two paths
// for every value: where it sits in the Config (path, used in messages and
// as the key of Config.lines) and where it was read from (src, which differs
// when a legacy shape was moved; see normaliser.origin).
type decoder struct {
	origin map[string]string // normalised path → source path, for moved values
	raw    map[string]int    // source path → line
	lines  map[string]int    // normalised path → line
}

// enter records the line of a child value and returns its two paths.
func (d *decoder) enter(path, src string) (string, string) {
	if o, ok := d.origin[path]; ok {
		src = o
	}
	d.lines[path] = lookupLine(d.raw, src)
	return path, src
}

func (d *decoder) decode(v reflect.Value, raw any, path, src string) error {
	switch {
	case v.Type() == durationType:
		return d.duration(v, raw, path, src)
	case v.Type() == autoStopType:
		return d.autoStop(v, raw, path, src)
	}
	switch v.Kind() {
	case reflect.Pointer:
		return d.pointer(v, raw, path, src)
	case reflect.Struct:
		return d.structValue(v, raw, path, src)
	case reflect.Slice:
		return d.slice(v, raw, path, src)
	case reflect.Map:
		return d.mapValue(v, raw, path, src)
	case reflect.Interface:
		d.anyValue(v, raw, path, src)
		return nil
	}
	return d.scalar(v, raw, path, src)
}

func (d *decoder) pointer(v reflect.Value, raw any, path, src string) error {
	p := reflect.New(v.Type().Elem())
	if err := d.decode(p.Elem(), raw, path, src); err != nil {
		return err
	}
	v.Set(p)
	return nil
}

// anyValue keeps a free-form value ([build.settings], response headers).
func (d *decoder) anyValue(v reflect.Value, raw any, path, src string) {
	if raw != nil {
		v.Set(reflect.ValueOf(raw))
		d.markAll(raw, path, src)
	}
}

func (d *decoder) structValue(v reflect.Value, raw any, path, src string) error {
	m, ok := raw.(map[string]any)
	if !ok {
		return errorf(path, src, "expected a table, got %s", describe(raw))
	}
	si := infoOf(v.Type())
	for _, k := range sortedKeys(m) {
		kp, ks := d.enter(joinKey(path, k), joinKey(src, k))
		i, known := si.byName[k]
		switch {
		case known:
			if err := d.decode(v.Field(si.fields[i].index), m[k], kp, ks); err != nil {
				return err
			}
		case si.extra >= 0:
			setExtra(v.Field(si.extra), k, m[k])
			d.markAll(m[k], kp, ks)
		}
	}
	return nil
}

func setExtra(extra reflect.Value, k string, val any) {
	if extra.IsNil() {
		extra.Set(reflect.MakeMap(extra.Type()))
	}
	extra.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(val))
}

// markAll records the lines of an unknown value's nested keys.
func (d *decoder) markAll(raw any, path, src string) {
	switch raw := raw.(type) {
	case map[string]any:
		for k, v := range raw {
			kp, ks := d.enter(joinKey(path, k), joinKey(src, k))
			d.markAll(v, kp, ks)
		}
	case []any:
		for i, v := range raw {
			ip, is := d.enter(joinIndex(path, i), joinIndex(src, i))
			d.markAll(v, ip, is)
		}
	}
}

func (d *decoder) slice(v reflect.Value, raw any, path, src string) error {
	list, ok := raw.([]any)
	if !ok {
		return errorf(path, src, "expected an array, got %s", describe(raw))
	}
	if len(list) == 0 {
		return nil // written back as absent (or []), so keep nil for a stable round trip
	}
	out := reflect.MakeSlice(v.Type(), len(list), len(list))
	for i, elem := range list {
		ip, is := d.enter(joinIndex(path, i), joinIndex(src, i))
		if err := d.decode(out.Index(i), elem, ip, is); err != nil {
			return err
		}
	}
	v.Set(out)
	return nil
}

func (d *decoder) mapValue(v reflect.Value, raw any, path, src string) error {
	m, ok := raw.(map[string]any)
	if !ok {
		return errorf(path, src, "expected a table, got %s", describe(raw))
	}
	if len(m) == 0 {
		return nil
	}
	out := reflect.MakeMapWithSize(v.Type(), len(m))
	for _, k := range sortedKeys(m) {
		kp, ks := d.enter(joinKey(path, k), joinKey(src, k))
		elem := reflect.New(v.Type().Elem()).Elem()
		if err := d.decode(elem, m[k], kp, ks); err != nil {
			return err
		}
		out.SetMapIndex(reflect.ValueOf(k), elem)
	}
	v.Set(out)
	return nil
}
