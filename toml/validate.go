package toml

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// validator collects every problem of one config.
type validator struct {
	c        *Config
	problems []Problem
}

// Validate checks the config the way `fly config validate` does, plus what
// Hangar needs to run it, and returns every problem found (nil when there
// are none), ordered by line; problems of a config built in code (no
// lines) come in section order.
func (c *Config) Validate() []Problem {
	v := &validator{c: c}
	for _, check := range []func(){
		v.app, v.topLevel, v.build, v.deploy, v.processes, v.mounts,
		v.httpService, v.services, v.checks, v.files, v.restarts, v.vms, v.statics, v.metrics, v.hangar,
	} {
		check()
	}
	slices.SortStableFunc(v.problems, func(a, b Problem) int { return a.Line - b.Line })
	return v.problems
}

func (v *validator) add(key string, warning bool, format string, args ...any) {
	v.problems = append(v.problems, Problem{
		File: v.c.file, Line: v.c.Line(key), Key: key,
		Message: fmt.Sprintf(format, args...), Warning: warning,
	})
}

func (v *validator) errorf(key, format string, args ...any) { v.add(key, false, format, args...) }
func (v *validator) warnf(key, format string, args ...any)  { v.add(key, true, format, args...) }

var appNameRE = regexp.MustCompile(`^[a-z0-9-]+$`)

func (v *validator) app() {
	app := v.c.App
	switch {
	case app == "":
	case !appNameRE.MatchString(app):
		v.errorf("app", "must consist of only lowercase letters, numbers, and dashes, got %q", app)
	case len(app) > 63:
		v.errorf("app", "must be at most 63 characters, got %d", len(app))
	case strings.HasPrefix(app, "-") || strings.HasSuffix(app, "-"):
		v.errorf("app", "must not start or end with a dash, got %q", app)
	}
}

// KillSignals are the signals kill_signal may name.
var KillSignals = []string{"SIGINT", "SIGTERM", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGKILL", "SIGSTOP"}

// maxKillTimeout is the longest kill_timeout the platform honours.
const maxKillTimeout = 300 * time.Second

func (v *validator) topLevel() {
	c := v.c
	if c.KillSignal != nil && !slices.Contains(KillSignals, *c.KillSignal) {
		v.errorf("kill_signal", "must be one of %s, got %q", strings.Join(KillSignals, ", "), *c.KillSignal)
	}
	if c.KillTimeout != nil {
		v.durationRange("kill_timeout", c.KillTimeout.Duration, 0, maxKillTimeout)
	}
	if c.SwapSizeMB != nil && *c.SwapSizeMB < 0 {
		v.errorf("swap_size_mb", "must not be negative, got %d", *c.SwapSizeMB)
	}
	v.shellWords("console_command", c.ConsoleCommand)
}

func (v *validator) durationRange(key string, d, lo, hi time.Duration) {
	switch {
	case d < lo:
		v.errorf(key, "must be at least %s, got %s", lo, d)
	case d > hi:
		v.errorf(key, "must be at most %s, got %s", hi, d)
	}
}

func (v *validator) shellWords(key, cmd string) {
	if err := checkShellWords(cmd); err != nil {
		v.errorf(key, "cannot be split into words: it %v", err)
	}
}

func (v *validator) build() {
	b := v.c.Build
	if b == nil {
		return
	}
	if s := buildStrategies(b); len(s) > 1 {
		v.warnf("build", "has more than one build configuration (%s); only one is used", strings.Join(s, ", "))
	}
	if b.Compression != "" && b.Compression != "gzip" && b.Compression != "zstd" {
		v.errorf("build.compression", "must be gzip or zstd, got %q", b.Compression)
	}
}

// buildStrategies names the ways [build] says to get an image, in flyctl's
// words.
func buildStrategies(b *Build) []string {
	var s []string
	if b.Image != "" {
		s = append(s, fmt.Sprintf("the %q docker image", b.Image))
	}
	if b.Builder != "" || len(b.Buildpacks) > 0 {
		s = append(s, "a buildpack")
	}
	switch {
	case b.Dockerfile != "":
		s = append(s, fmt.Sprintf("the %q dockerfile", b.Dockerfile))
	case b.DockerBuildTarget != "":
		s = append(s, "a dockerfile")
	}
	if b.Builtin != "" {
		s = append(s, fmt.Sprintf("the %q builtin image", b.Builtin))
	}
	return s
}

// DeployStrategies are the values deploy.strategy accepts.
var DeployStrategies = []string{"canary", "rolling", "immediate", "bluegreen"}

func (v *validator) deploy() {
	d := v.c.Deploy
	if d == nil {
		return
	}
	if d.Strategy != "" && !slices.Contains(DeployStrategies, d.Strategy) {
		v.errorf("deploy.strategy", "must be one of %s, got %q", strings.Join(DeployStrategies, ", "), d.Strategy)
	}
	if d.Strategy == "canary" && len(v.c.Mounts) > 0 {
		v.errorf("deploy.strategy", "canary cannot be used with [[mounts]]; use rolling or immediate")
	}
	if d.MaxUnavailable != nil {
		v.maxUnavailable(*d.MaxUnavailable, d.Strategy)
	}
	v.shellWords("deploy.release_command", d.ReleaseCommand)
	if d.ReleaseCommandVM != nil {
		v.vm("deploy.release_command_vm", *d.ReleaseCommandVM)
	}
}

func (v *validator) maxUnavailable(n float64, strategy string) {
	switch {
	case n <= 0:
		v.errorf("deploy.max_unavailable", "must be greater than 0 (a fraction below 1 or a number of machines), got %v", n)
	case strategy != "" && strategy != "rolling" && strategy != "canary":
		v.warnf("deploy.max_unavailable", "only applies to the rolling and canary strategies, not %s", strategy)
	}
}

func (v *validator) processes() {
	for _, name := range sortedKeys(v.c.Processes) {
		v.shellWords(joinKey("processes", name), v.c.Processes[name])
	}
}
