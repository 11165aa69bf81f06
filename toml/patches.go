package toml

import "strings"

// normaliser rewrites the legacy shapes flyctl still accepts into the
// current ones, in place, before the document is decoded (flyctl's
// internal/appconfig/patches.go does the same on its map). When it moves a
// value it records where the value came from so lines stay right.
type normaliser struct {
	origin map[string]string // new path → source path
}

func normalise(doc map[string]any) (map[string]string, error) {
	n := &normaliser{origin: map[string]string{}}
	patches := []func(map[string]any) error{
		n.env, n.services, n.processes, n.experimental, n.checks,
		n.vms, n.mounts, n.metrics, n.killTimeout, n.build, n.httpService, n.deploy,
	}
	for _, patch := range patches {
		if err := patch(doc); err != nil {
			return nil, err
		}
	}
	return n.origin, nil
}

// moved records that the value now at path was read from src.
func (n *normaliser) moved(path, src string) {
	if path != src {
		n.origin[path] = src
	}
}

func (n *normaliser) src(path string) string {
	if o, ok := n.origin[path]; ok {
		return o
	}
	return path
}

// setOrDelete stores v under key, or removes key when v is empty.
func setOrDelete[V any](doc map[string]any, key string, v []V) {
	if len(v) == 0 {
		delete(doc, key)
		return
	}
	out := make([]any, len(v))
	for i := range v {
		out[i] = v[i]
	}
	doc[key] = out
}

// env stringifies values and merges a legacy [[env]] list.
func (n *normaliser) env(doc map[string]any) error {
	raw, ok := doc["env"]
	if !ok {
		return nil
	}
	parts, err := n.tables(raw, "env")
	if err != nil {
		return err
	}
	env := map[string]any{}
	for _, part := range parts {
		for k, v := range part.m {
			s, ok := scalarString(v)
			if !ok {
				return errorf(joinKey(part.src, k), joinKey(part.src, k), "expected a string, number or boolean, got %s", describe(v))
			}
			env[k] = s
			n.moved(joinKey("env", k), joinKey(part.src, k))
		}
	}
	doc["env"] = env
	if len(env) == 0 {
		delete(doc, "env")
	}
	return nil
}

// processes converts a legacy [[processes]] name/command list.
func (n *normaliser) processes(doc map[string]any) error {
	switch raw := doc["processes"].(type) {
	case nil, map[string]any:
		return nil
	case []any:
		procs := map[string]any{}
		for i, item := range raw {
			m, _ := item.(map[string]any)
			name, ok := scalarString(m["name"])
			if !ok {
				continue // flyctl skips entries without a usable name
			}
			cmd, _ := scalarString(m["command"])
			procs[name] = cmd
			n.moved(joinKey("processes", name), joinIndex("processes", i))
		}
		doc["processes"] = procs
		if len(procs) == 0 {
			delete(doc, "processes")
		}
		return nil
	default:
		return errorf("processes", "processes", "expected a table of process names and commands, got %s", describe(raw))
	}
}

// experimental turns cmd/entrypoint/exec strings into lists and moves the
// legacy kill_timeout and metrics_port/metrics_path keys out.
func (n *normaliser) experimental(doc map[string]any) error {
	m, err := n.table(doc, "experimental")
	if m == nil || err != nil {
		return err
	}
	for _, k := range []string{"cmd", "entrypoint", "exec"} {
		if err := stringList(m, k, "experimental."+k); err != nil {
			return err
		}
	}
	if v, ok := m["kill_timeout"]; ok {
		if _, set := doc["kill_timeout"]; !set {
			doc["kill_timeout"] = v
			n.moved("kill_timeout", "experimental.kill_timeout")
		}
		delete(m, "kill_timeout")
	}
	n.legacyMetrics(doc, m)
	if len(m) == 0 {
		delete(doc, "experimental")
	}
	return nil
}

func (n *normaliser) legacyMetrics(doc, exp map[string]any) {
	metrics := map[string]any{}
	for _, k := range []string{"metrics_port", "metrics_path"} {
		if v, ok := exp[k]; ok {
			metrics[strings.TrimPrefix(k, "metrics_")] = v
			delete(exp, k)
		}
	}
	if _, set := doc["metrics"]; !set && len(metrics) > 0 {
		doc["metrics"] = []any{metrics}
		n.moved("metrics[0]", "experimental")
	}
}

// killTimeout reads a bare top-level kill_timeout as seconds.
func (n *normaliser) killTimeout(doc map[string]any) error {
	v, ok := doc["kill_timeout"]
	if !ok {
		return nil
	}
	d, err := castDuration(v, secondUnit, "kill_timeout", n.src("kill_timeout"))
	if err != nil {
		return err
	}
	if d == nil {
		delete(doc, "kill_timeout")
		return nil
	}
	doc["kill_timeout"] = *d
	return nil
}

// build renames the legacy build_target key.
func (n *normaliser) build(doc map[string]any) error {
	m, err := n.table(doc, "build")
	if m == nil || err != nil {
		return err
	}
	if v, ok := m["build_target"]; ok {
		m["build-target"] = v
		delete(m, "build_target")
		n.moved("build.build-target", "build.build_target")
	}
	if len(m) == 0 {
		delete(doc, "build")
	}
	return nil
}
