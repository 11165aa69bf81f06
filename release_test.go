package hangar_test

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestReleaseTargetsBuild cross-compiles the module for every goos/goarch pair of every
// build in .goreleaser.yaml, as `goreleaser build` would: a Linux-only call outside a
// _linux.go file breaks the darwin release, and no Linux test would notice.
func TestReleaseTargetsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the module once per release target")
	}
	targets := releaseTargets(t, ".goreleaser.yaml")
	if len(targets) == 0 {
		t.Fatal(".goreleaser.yaml lists no goos/goarch")
	}
	for _, target := range targets {
		t.Run(target.goos+"/"+target.goarch, func(t *testing.T) {
			cmd := exec.Command("go", "build", "./...")
			cmd.Env = append(os.Environ(), "GOOS="+target.goos, "GOARCH="+target.goarch, "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("GOOS=%s GOARCH=%s go build ./...: %v\n%s", target.goos, target.goarch, err, out)
			}
		})
	}
}

type target struct{ goos, goarch string }

// releaseTargets reads the goos and goarch lists of each build, in flow ([a, b]) or
// block (- a) style, and returns their products; a build without a list gets
// goreleaser's defaults.
func releaseTargets(t *testing.T, path string) []target {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var all []target
	var builds []map[string][]string
	var key string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(strings.SplitN(sc.Text(), "#", 2)[0])
		name, value, isKey := strings.Cut(strings.TrimPrefix(line, "- "), ":")
		switch {
		case strings.HasPrefix(line, "- id:") || strings.HasPrefix(line, "- main:"):
			builds = append(builds, map[string][]string{})
			key = ""
		case isKey && (name == "goos" || name == "goarch") && len(builds) > 0:
			key = name
			builds[len(builds)-1][key] = flowList(value)
		case key != "" && strings.HasPrefix(line, "- "):
			builds[len(builds)-1][key] = append(builds[len(builds)-1][key], strings.TrimSpace(line[2:]))
		default:
			key = ""
		}
	}
	for _, b := range builds {
		all = append(all, product(b)...)
	}
	return all
}

func flowList(v string) []string {
	v = strings.Trim(strings.TrimSpace(v), "[]")
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.Trim(strings.TrimSpace(s), `"'`); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func product(b map[string][]string) []target {
	goos, goarch := b["goos"], b["goarch"]
	if goos == nil {
		goos = []string{"linux", "darwin", "windows"}
	}
	if goarch == nil {
		goarch = []string{"386", "amd64", "arm64"}
	}
	var out []target
	for _, o := range goos {
		for _, a := range goarch {
			if o != "darwin" || a != "386" {
				out = append(out, target{o, a})
			}
		}
	}
	return out
}
