package toml

import (
	"strconv"
	"strings"
)

// services accepts a single [services] table, casts string ports, reads
// "soft,hard" concurrency and millisecond check durations, and drops
// entries left empty.
func (n *normaliser) services(doc map[string]any) error {
	raw, ok := doc["services"]
	if !ok {
		return nil
	}
	list, err := n.tables(raw, "services")
	if err != nil {
		return err
	}
	var kept []map[string]any
	for _, svc := range list {
		dst := joinIndex("services", len(kept))
		if err := n.service(svc.m, dst, svc.src); err != nil {
			return err
		}
		if len(svc.m) > 0 {
			n.moved(dst, svc.src)
			kept = append(kept, svc.m)
		}
	}
	setOrDelete(doc, "services", kept)
	return nil
}

func (n *normaliser) service(m map[string]any, dst, src string) error {
	if err := concurrency(m, src); err != nil {
		return err
	}
	if err := n.ports(m, dst, src); err != nil {
		return err
	}
	for _, k := range []string{"tcp_checks", "http_checks"} {
		if err := n.checkList(m, k, dst, src); err != nil {
			return err
		}
	}
	return castIntKey(m, "internal_port", src)
}

// concurrency reads the legacy "soft,hard" string as requests limits.
func concurrency(m map[string]any, src string) error {
	path := src + ".concurrency"
	switch c := m["concurrency"].(type) {
	case nil, map[string]any:
		return nil
	case string:
		left, right, ok := strings.Cut(c, ",")
		soft, err1 := strconv.Atoi(strings.TrimSpace(left))
		hard, err2 := strconv.Atoi(strings.TrimSpace(right))
		if !ok || err1 != nil || err2 != nil {
			return errorf(path, path, `expected "soft,hard" limits like "20,25", got %q`, c)
		}
		m["concurrency"] = map[string]any{"type": "requests", "soft_limit": int64(soft), "hard_limit": int64(hard)}
		return nil
	default:
		return errorf(path, path, `expected a table or a "soft,hard" string like "20,25", got %s`, describe(c))
	}
}

func (n *normaliser) ports(m map[string]any, dst, src string) error {
	raw, ok := m["ports"]
	if !ok {
		return nil
	}
	list, err := n.tables(raw, src+".ports")
	if err != nil {
		return err
	}
	ports := make([]any, len(list))
	for i, p := range list {
		if err := castIntKey(p.m, "port", p.src); err != nil {
			return err
		}
		n.moved(joinIndex(dst+".ports", i), p.src)
		ports[i] = p.m
	}
	m["ports"] = ports
	return nil
}
