package launch

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hangarhq/hangar/toml"
)

func TestSanitizeAppName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"flycast-demo", "flycast-demo"},
		{"My Admin Panel", "my-admin-panel"},
		{"__weird__dir!!", "weird-dir"},
		{"café-ünïcode", "caf-ncode"},
		{"---", ""},
		{strings.Repeat("a", 70), strings.Repeat("a", 63)},
		{strings.Repeat("a", 62) + "-b", strings.Repeat("a", 62)},
	}
	for _, tt := range tests {
		if got := SanitizeAppName(tt.in); got != tt.want {
			t.Errorf("SanitizeAppName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidateAppName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"flycast-demo", true}, {"a", true}, {"0x1", true}, {strings.Repeat("a", 63), true},
		{"", false}, {"Admin", false}, {"a_b", false}, {"-a", false}, {"a-", false},
		{"a.b", false}, {strings.Repeat("a", 64), false},
	}
	for _, tt := range tests {
		err := ValidateAppName(tt.name)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInvalidName)) {
			t.Errorf("ValidateAppName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestNewPlanSources(t *testing.T) {
	base := &toml.Config{App: "from-file", PrimaryRegion: "cdg", HTTPService: &toml.HTTPService{InternalPort: 3000}, Build: &toml.Build{Image: "img:file"}}
	tests := []struct {
		name string
		in   Input
		want Plan
	}{
		{"defaults", Input{Dir: "/x/Flycast Demo", Image: "img"}, Plan{
			Name: Value[string]{"flycast-demo", SourceDir}, Org: Value[string]{"personal", SourceOrg},
			Region: Value[string]{"iad", SourceRegion}, InternalPort: Value[int]{8080, SourceDefault},
			Image: "img", AutoStop: toml.AutoStopStop}},
		{"flags win", Input{Dir: "/x/d", Image: "img", Name: "n", Org: "o", Region: "ams", InternalPort: 80, Flycast: true, AutoStop: toml.AutoStopSuspend}, Plan{
			Name: Value[string]{"n", SourceFlag}, Org: Value[string]{"o", SourceFlag},
			Region: Value[string]{"ams", SourceFlag}, InternalPort: Value[int]{80, SourceFlag},
			Image: "img", AutoStop: toml.AutoStopSuspend, Flycast: true}},
		{"copied fly.toml", Input{Dir: "/x/d", Base: base}, Plan{
			Name: Value[string]{"from-file", SourceConfig}, Org: Value[string]{"personal", SourceOrg},
			Region: Value[string]{"cdg", SourceConfig}, InternalPort: Value[int]{3000, SourceConfig},
			Image: "img:file", AutoStop: toml.AutoStopStop, Base: base}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewPlan(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			samePointer := cmp.Comparer(func(a, b *toml.Config) bool { return a == b })
			if d := cmp.Diff(tt.want, got, samePointer); d != "" {
				t.Errorf("plan (-want +got):\n%s", d)
			}
		})
	}
}

func TestNewPlanErrorsNameTheFlag(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"no image", Input{Dir: "/x/d"}, "no image to run: pass --image IMAGE"},
		{"unusable dir name", Input{Dir: "/x/___", Image: "i"}, "(set it with --name)"},
		{"bad org", Input{Dir: "/x/d", Image: "i", Org: "Big Org"}, "(set it with --org)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewPlan(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestConfigFromCopiedFileKeepsOtherKeys(t *testing.T) {
	base, err := toml.Parse("fly.toml", []byte("app = 'old'\nkill_signal = 'SIGTERM'\nnew_fly_feature = 1\n[http_service]\n  internal_port = 3000\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPlan(Input{Dir: "/x/d", Name: "new", InternalPort: 9000, Base: base})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Config()
	if c.App != "new" || c.HTTPService.InternalPort != 9000 || *c.KillSignal != "SIGTERM" || base.App != "old" {
		t.Errorf("config app=%q port=%d; base app=%q", c.App, c.HTTPService.InternalPort, base.App)
	}
	out, _ := c.Marshal()
	if !strings.Contains(string(out), "new_fly_feature = 1") {
		t.Errorf("unknown key lost:\n%s", out)
	}
}
