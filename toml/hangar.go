package toml

import (
	"fmt"
	"time"
)

// HangarTable is Hangar's own section of fly.toml. flyctl ignores keys it does not know,
// so the file still moves to Fly.io unchanged:
//
//	[hangar]
//	  idle_timeout = '30s'   # stop (or suspend) machines after this long without traffic
//	  cold_after = '30m'     # then stop their sandboxes too after this long asleep
//	  warm_limit = 4         # keep at most this many stopped machines' sandboxes up
const HangarTable = "hangar"

// MinIdleTimeout keeps a typo like '1ms' from stopping machines between requests.
const MinIdleTimeout = time.Second

// IdleTimeout is [hangar] idle_timeout: ok is false when it is not set.
func (c *Config) IdleTimeout() (d time.Duration, ok bool, err error) {
	return c.hangarDuration("idle_timeout")
}

// ColdAfter is [hangar] cold_after: how long a stopped machine keeps its sandbox.
func (c *Config) ColdAfter() (d time.Duration, ok bool, err error) {
	return c.hangarDuration("cold_after")
}

// WarmLimit is [hangar] warm_limit: how many stopped machines of the app keep their
// sandboxes; 0 cools every machine as soon as it stops.
func (c *Config) WarmLimit() (n int, ok bool, err error) {
	raw, set := c.hangarTable()["warm_limit"]
	if !set {
		return 0, false, nil
	}
	v, isInt := raw.(int64)
	if !isInt || v < 0 || v > 1<<20 {
		return 0, true, fmt.Errorf("hangar.warm_limit %s", limitProblem(raw))
	}
	return int(v), true, nil
}

func (c *Config) hangarTable() map[string]any {
	t, _ := c.Extra[HangarTable].(map[string]any)
	return t
}

func (c *Config) hangarDuration(key string) (d time.Duration, ok bool, err error) {
	raw, set := c.hangarTable()[key]
	if !set {
		return 0, false, nil
	}
	s, isString := raw.(string)
	if d, err = time.ParseDuration(s); !isString || err != nil || d < MinIdleTimeout {
		return 0, true, fmt.Errorf("hangar.%s %s", key, durationProblem(raw))
	}
	return d, true, nil
}

func durationProblem(raw any) string {
	return fmt.Sprintf("must be a duration of at least %s like '60s', got %v", MinIdleTimeout, raw)
}

func limitProblem(raw any) string {
	return fmt.Sprintf("must be a whole number of machines like 4, got %v", raw)
}

// hangar validates Hangar's own section.
func (v *validator) hangar() {
	t := v.c.hangarTable()
	for _, key := range []string{"idle_timeout", "cold_after"} {
		if _, _, err := v.c.hangarDuration(key); err != nil {
			v.errorf("hangar."+key, "%s", durationProblem(t[key]))
		}
	}
	if _, _, err := v.c.WarmLimit(); err != nil {
		v.errorf("hangar.warm_limit", "%s", limitProblem(t["warm_limit"]))
	}
}
