package toml

// checkList normalises a list of service checks, dropping it when empty.
func (n *normaliser) checkList(m map[string]any, key, dst, src string) error {
	raw, ok := m[key]
	if !ok {
		return nil
	}
	list, err := n.tables(raw, src+"."+key)
	if err != nil {
		return err
	}
	checks := make([]map[string]any, len(list))
	for i, c := range list {
		path := joinIndex(dst+"."+key, i)
		n.moved(path, c.src)
		if err := n.check(c.m, path, c.src); err != nil {
			return err
		}
		checks[i] = c.m
	}
	setOrDelete(m, key, checks)
	return nil
}

// checks accepts [checks.<name>] tables and the legacy [[checks]] list
// whose entries carry a name.
func (n *normaliser) checks(doc map[string]any) error {
	raw, ok := doc["checks"]
	if !ok {
		return nil
	}
	checks := map[string]any{}
	var err error
	switch raw := raw.(type) {
	case map[string]any:
		for _, name := range sortedKeys(raw) {
			if err == nil {
				err = n.namedCheck(checks, raw[name], name, joinKey("checks", name))
			}
		}
	case []any:
		err = n.legacyChecks(checks, raw)
	default:
		err = errorf("checks", "checks", "expected a table of named checks, got %s", describe(raw))
	}
	setMapOrDelete(doc, "checks", checks)
	return err
}

// legacyChecks reads a [[checks]] list whose entries carry their name.
func (n *normaliser) legacyChecks(checks map[string]any, list []any) error {
	for i, c := range list {
		src := joinIndex("checks", i)
		m, _ := c.(map[string]any)
		name, ok := m["name"].(string)
		if !ok {
			return errorf(src, src, "expected a table with a name, got %s", describe(c))
		}
		delete(m, "name")
		if err := n.namedCheck(checks, m, name, src); err != nil {
			return err
		}
	}
	return nil
}

func (n *normaliser) namedCheck(checks map[string]any, raw any, name, src string) error {
	m, ok := raw.(map[string]any)
	if !ok {
		return errorf(src, src, "expected a table, got %s", describe(raw))
	}
	dst := joinKey("checks", name)
	n.moved(dst, src)
	checks[name] = m
	return n.check(m, dst, src)
}

// check reads integer durations as milliseconds and legacy header lists.
func (n *normaliser) check(m map[string]any, dst, src string) error {
	for _, k := range []string{"interval", "timeout", "grace_period"} {
		v, ok := m[k]
		if !ok {
			continue
		}
		d, err := castDuration(v, msUnit, joinKey(src, k), joinKey(src, k))
		switch {
		case err != nil:
			return err
		case d == nil:
			delete(m, k)
		default:
			m[k] = *d
		}
	}
	return n.headers(m, dst, src)
}

func (n *normaliser) headers(m map[string]any, dst, src string) error {
	raw, ok := m["headers"]
	if !ok {
		return nil
	}
	path := src + ".headers"
	h := map[string]any{}
	var err error
	switch raw := raw.(type) {
	case map[string]any:
		for _, k := range sortedKeys(raw) {
			s, ok := scalarString(raw[k])
			if !ok && err == nil {
				err = errorf(joinKey(path, k), joinKey(path, k), "expected a string, got %s", describe(raw[k]))
			}
			h[k] = s
		}
	case []any:
		err = n.headerList(h, raw, dst+".headers", path)
	default:
		err = errorf(path, path, "expected a table of header names and values, got %s", describe(raw))
	}
	setMapOrDelete(m, "headers", h)
	return err
}

// headerList reads the legacy [[...headers]] name/value list.
func (n *normaliser) headerList(h map[string]any, list []any, dst, src string) error {
	for i, item := range list {
		name, value, ok := nameValue(item)
		if !ok {
			p := joinIndex(src, i)
			return errorf(p, p, "expected a table with a name and a value, got %s", describe(item))
		}
		h[name] = value
		n.moved(joinKey(dst, name), joinIndex(src, i))
	}
	return nil
}

func nameValue(item any) (name, value string, ok bool) {
	m, _ := item.(map[string]any)
	name, ok = scalarString(m["name"])
	if v, set := m["value"]; set && ok {
		value, ok = scalarString(v)
	}
	return name, value, ok
}
