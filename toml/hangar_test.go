package toml

import (
	"testing"
	"time"
)

func TestSleepTiers(t *testing.T) {
	tests := []struct {
		name, file string
		after      time.Duration
		limit      int
		problem    string
	}{
		{"unset", "app = 'a'\n", 0, 0, ""},
		{"set", "app = 'a'\n\n[hangar]\n  cold_after = '30m'\n  warm_limit = 4\n", 30 * time.Minute, 4, ""},
		{"zero limit", "app = 'a'\n\n[hangar]\n  warm_limit = 0\n", 0, 0, ""},
		{"bad duration", "app = 'a'\n\n[hangar]\n  cold_after = 'soon'\n", 0, 0, "fly.toml:4: hangar.cold_after must be a duration of at least 1s like '60s', got soon"},
		{"negative limit", "app = 'a'\n\n[hangar]\n  warm_limit = -1\n", 0, 0, "fly.toml:4: hangar.warm_limit must be a whole number of machines like 4, got -1"},
		{"string limit", "app = 'a'\n\n[hangar]\n  warm_limit = 'four'\n", 0, 0, "fly.toml:4: hangar.warm_limit must be a whole number of machines like 4, got four"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("fly.toml", []byte(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			after, _, _ := c.ColdAfter()
			limit, _, _ := c.WarmLimit()
			if after != tt.after || limit != tt.limit {
				t.Errorf("ColdAfter, WarmLimit = %v, %d; want %v, %d", after, limit, tt.after, tt.limit)
			}
			checkProblem(t, c, tt.problem)
		})
	}
}

func TestIdleTimeout(t *testing.T) {
	tests := []struct {
		name, file string
		want       time.Duration
		set        bool
		problem    string
	}{
		{"unset", "app = 'a'\n", 0, false, ""},
		{"set", "app = 'a'\n\n[hangar]\n  idle_timeout = '30s'\n", 30 * time.Second, true, ""},
		{"too short", "app = 'a'\n\n[hangar]\n  idle_timeout = '5ms'\n", 0, true, "fly.toml:4: hangar.idle_timeout must be a duration of at least 1s like '60s', got 5ms"},
		{"not a duration", "app = 'a'\n\n[hangar]\n  idle_timeout = 30\n", 0, true, "fly.toml:4: hangar.idle_timeout must be a duration of at least 1s like '60s', got 30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("fly.toml", []byte(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			d, set, _ := c.IdleTimeout()
			if d != tt.want || set != tt.set {
				t.Errorf("IdleTimeout = %v, %v; want %v, %v", d, set, tt.want, tt.set)
			}
			checkProblem(t, c, tt.problem)
			out, _ := c.Marshal()
			if again, _ := Parse("fly.toml", out); again == nil || len(again.UnknownKeys()) != len(c.UnknownKeys()) {
				t.Errorf("[hangar] lost on a round trip:\n%s", out)
			}
		})
	}
}

// checkProblem fails unless validating c finds exactly want, or nothing when want is "".
func checkProblem(t *testing.T, c *Config, want string) {
	t.Helper()
	ps := c.Validate()
	switch {
	case want == "" && len(ps) > 0:
		t.Errorf("problems: %v", ps)
	case want != "" && (len(ps) != 1 || ps[0].String() != want):
		t.Errorf("problems = %v, want %q", ps, want)
	}
}
