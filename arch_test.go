// Tests of the repository's shape: which package may import which, and package comments.
package hangar_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/hangarhq/hangar"

// packages lists every package with its direct imports and whether it has a package comment.
func packages(t *testing.T) map[string]struct {
	imports []string
	doc     string
} {
	out, err := exec.Command("go", "list", "-f", "{{if .GoFiles}}{{.ImportPath}}|{{join .Imports \" \"}}|{{.Doc}}{{end}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]struct {
		imports []string
		doc     string
	}{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue // a directory of tests only
		}
		parts := strings.SplitN(line, "|", 3)
		pkgs[parts[0]] = struct {
			imports []string
			doc     string
		}{strings.Fields(parts[1]), parts[2]}
	}
	return pkgs
}

// rules: a package matching the prefix must not import anything matching the banned prefixes.
var rules = []struct {
	pkg, why string
	banned   []string
	except   []string
}{
	{module + "/toml", "domain packages never import commands, prompts or the API", domainBans, nil},
	{module + "/ipalloc", "domain packages never import commands, prompts or the API", domainBans, nil},
	{module + "/launch", "domain packages never import commands, prompts or the API", domainBans, nil},
	{module + "/pkg/state", "domain packages never import commands, prompts or the API", domainBans, nil},
	{module + "/pkg/runtime", "domain packages never import commands, prompts or the API", domainBans, nil},
	{module + "/pkg/api", "the client never reaches into the daemon or the database", []string{module + "/pkg/agent", module + "/pkg/state", module + "/pkg/cmd"}, nil},
	{module + "/pkg/cmd", "the CLI never opens the database; it talks to the agent", []string{module + "/pkg/state"}, nil},
	{module + "/", "only pkg/runtime/docker talks to Docker", []string{"github.com/docker/"}, []string{module + "/pkg/runtime/docker"}},
}

var domainBans = []string{"github.com/spf13/cobra", "github.com/charmbracelet/huh", module + "/pkg/api", module + "/pkg/agent", module + "/pkg/cmd", module + "/pkg/prompt"}

func TestImportDirection(t *testing.T) {
	for path, p := range packages(t) {
		for _, r := range rules {
			if !strings.HasPrefix(path, r.pkg) || hasPrefix(path, r.except) {
				continue
			}
			for _, imp := range p.imports {
				if hasPrefix(imp, r.banned) {
					t.Errorf("%s imports %s: %s", path, imp, r.why)
				}
			}
		}
	}
}

func TestEveryPackageHasAComment(t *testing.T) {
	for path, p := range packages(t) {
		if p.doc == "" {
			t.Errorf("%s has no package comment", path)
		}
	}
}

func hasPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
