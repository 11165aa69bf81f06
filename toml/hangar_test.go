package toml

import (
	"testing"
	"time"
)

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
			ps := c.Validate()
			switch {
			case tt.problem == "" && len(ps) > 0:
				t.Errorf("problems: %v", ps)
			case tt.problem != "" && (len(ps) != 1 || ps[0].String() != tt.problem):
				t.Errorf("problems = %v, want %q", ps, tt.problem)
			}
			out, _ := c.Marshal()
			if again, _ := Parse("fly.toml", out); again == nil || len(again.UnknownKeys()) != len(c.UnknownKeys()) {
				t.Errorf("[hangar] lost on a round trip:\n%s", out)
			}
		})
	}
}
