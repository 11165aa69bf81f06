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
const HangarTable = "hangar"

// MinIdleTimeout keeps a typo like '1ms' from stopping machines between requests.
const MinIdleTimeout = time.Second

// IdleTimeout is [hangar] idle_timeout: ok is false when it is not set.
func (c *Config) IdleTimeout() (d time.Duration, ok bool, err error) {
	t, _ := c.Extra[HangarTable].(map[string]any)
	raw, set := t["idle_timeout"]
	if !set {
		return 0, false, nil
	}
	s, isString := raw.(string)
	if d, err = time.ParseDuration(s); !isString || err != nil || d < MinIdleTimeout {
		return 0, true, fmt.Errorf("hangar.idle_timeout %s", idleProblem(raw))
	}
	return d, true, nil
}

func idleProblem(raw any) string {
	return fmt.Sprintf("must be a duration of at least %s like '60s', got %v", MinIdleTimeout, raw)
}

// hangar validates Hangar's own section.
func (v *validator) hangar() {
	if _, _, err := v.c.IdleTimeout(); err != nil {
		t, _ := v.c.Extra[HangarTable].(map[string]any)
		v.errorf("hangar.idle_timeout", "%s", idleProblem(t["idle_timeout"]))
	}
}
