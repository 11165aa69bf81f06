package toml

// srcTable is a table with the path it was read from.
type srcTable struct {
	m   map[string]any
	src string
}

// tables reads a value that may be one table or an array of tables, as
// flyctl's ensureArrayOfMap does.
func (n *normaliser) tables(raw any, src string) ([]srcTable, error) {
	switch raw := raw.(type) {
	case map[string]any:
		return []srcTable{{raw, src}}, nil
	case []any:
		out := make([]srcTable, len(raw))
		for i, item := range raw {
			m, ok := item.(map[string]any)
			if !ok {
				p := joinIndex(src, i)
				return nil, errorf(p, p, "expected a table, got %s", describe(item))
			}
			out[i] = srcTable{m, joinIndex(src, i)}
		}
		return out, nil
	}
	return nil, errorf(src, src, "expected a table or an array of tables, got %s", describe(raw))
}

// table returns doc[key] when it is a table, nil when it is absent.
func (n *normaliser) table(doc map[string]any, key string) (map[string]any, error) {
	raw, ok := doc[key]
	if !ok {
		return nil, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, errorf(key, key, "expected a table, got %s", describe(raw))
	}
	return m, nil
}

// merge gathers the tables under several legacy keys into one array under
// key, in order, and removes the legacy keys. fix is applied to each table.
func (n *normaliser) merge(doc map[string]any, key string, from []string, fix func(srcTable) error) error {
	var out []map[string]any
	for _, k := range from {
		raw, ok := doc[k]
		if !ok {
			continue
		}
		list, err := n.tables(raw, k)
		if err != nil {
			return err
		}
		delete(doc, k)
		for _, t := range list {
			if err := fix(t); err != nil {
				return err
			}
			n.moved(joinIndex(key, len(out)), t.src)
			out = append(out, t.m)
		}
	}
	setOrDelete(doc, key, out)
	return nil
}

// vms merges [vm], [[vm]], [compute], [[compute]] and [computes] into [[vm]]
// and stringifies a numeric memory (megabytes).
func (n *normaliser) vms(doc map[string]any) error {
	return n.merge(doc, "vm", []string{"compute", "computes", "vm"}, func(t srcTable) error {
		return castStringKey(t.m, "memory", t.src)
	})
}

// mounts merges the legacy singular [mount] and a single [mounts] table.
func (n *normaliser) mounts(doc map[string]any) error {
	return n.merge(doc, "mounts", []string{"mount", "mounts"}, func(t srcTable) error {
		return castStringKey(t.m, "initial_size", t.src)
	})
}

// metrics merges the legacy [metric] and a single [metrics] table.
func (n *normaliser) metrics(doc map[string]any) error {
	return n.merge(doc, "metrics", []string{"metric", "metrics"}, func(srcTable) error { return nil })
}

// httpService reads integer check durations as milliseconds, as for
// [[services.http_checks]].
func (n *normaliser) httpService(doc map[string]any) error {
	m, err := n.table(doc, "http_service")
	if m == nil || err != nil {
		return err
	}
	return n.checkList(m, "checks", "http_service", "http_service")
}

// deploy stringifies a numeric release_command_vm memory, as for [[vm]].
func (n *normaliser) deploy(doc map[string]any) error {
	m, err := n.table(doc, "deploy")
	if m == nil || err != nil {
		return err
	}
	if vm, ok := m["release_command_vm"].(map[string]any); ok {
		return castStringKey(vm, "memory", "deploy.release_command_vm")
	}
	return nil
}

// setMapOrDelete stores m under key, or removes key when m is empty.
func setMapOrDelete(doc map[string]any, key string, m map[string]any) {
	if len(m) == 0 {
		delete(doc, key)
		return
	}
	doc[key] = m
}
