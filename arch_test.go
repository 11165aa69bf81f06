// Tests of the repository's shape: which package may import which, and package comments.
package hangar_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/hangarhq/hangar"

// Layers, by import-path prefix. Imports flow one way: commands → API client → daemon →
// domain packages → runtime. Every package belongs to a layer (TestEveryPackageHasALayer),
// so a new package is held to its layer's rules from its first commit.
var (
	commandPkgs = prefixed("/pkg/cmd/", "/pkg/cmdutil", "/pkg/hangarcmd", "/pkg/iostreams", "/pkg/prompt", "/pkg/tableprinter", "/cmd/")
	clientPkgs  = prefixed("/pkg/api")
	daemonPkgs  = prefixed("/pkg/agent")
	domainPkgs  = prefixed("/toml", "/ipalloc", "/launch", "/pkg/state", "/pkg/runtime", "/pkg/proxy", "/pkg/dns",
		"/pkg/machine", "/pkg/deploy", "/pkg/flycast", "/pkg/hostnet", "/pkg/hostnames", "/pkg/hostpeers", "/pkg/handoff", "/pkg/home", "/pkg/sandbox", "/pkg/secrets",
		"/pkg/snapshot")
	// exemptPkgs are programs and tests of their own and test helpers, never shipped.
	exemptPkgs = prefixed("/bench/", "/e2e", "/internal/")
)

// uiBans are what only commands use: cobra, huh and the packages built on them.
var uiBans = []string{"github.com/spf13/cobra", "github.com/charmbracelet/huh", module + "/pkg/cmd", module + "/pkg/prompt", module + "/pkg/iostreams"}

// rule: a package matching one of pkgs (and none of except) imports nothing matching banned.
type rule struct {
	pkgs, banned, except []string
	why                  string
}

var rules = []rule{
	{domainPkgs, append([]string{module + "/pkg/api", module + "/pkg/agent"}, uiBans...), nil, "domain packages never import commands, prompts, the API or the daemon"},
	{daemonPkgs, uiBans, nil, "the daemon never imports commands or prompts"},
	{clientPkgs, []string{module + "/pkg/agent", module + "/pkg/state", module + "/pkg/cmd"}, nil, "the client never reaches into the daemon or the database"},
	{prefixed("/pkg/cmd"), []string{module + "/pkg/state"}, nil, "the CLI never opens the database; it talks to the agent"},
	{prefixed("/"), []string{"github.com/docker/"}, prefixed("/pkg/runtime/docker"), "only pkg/runtime/docker talks to Docker"},
	{prefixed("/"), []string{module + "/pkg/iostreams"}, commandPkgs, "only commands own the terminal's streams"},
}

type pkgInfo struct {
	imports []string
	doc     string
}

// packages lists every package with its direct imports and its package comment.
func packages(t *testing.T) map[string]pkgInfo {
	out, err := exec.Command("go", "list", "-f", "{{if .GoFiles}}{{.ImportPath}}|{{join .Imports \" \"}}|{{.Doc}}{{end}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkgInfo{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue // a directory of tests only
		}
		parts := strings.SplitN(line, "|", 3)
		pkgs[parts[0]] = pkgInfo{strings.Fields(parts[1]), parts[2]}
	}
	return pkgs
}

// importViolations is every import a rule bans, as "pkg imports imp: why".
func importViolations(pkgs map[string]pkgInfo) []string {
	var out []string
	for path, p := range pkgs {
		for _, r := range rules {
			if !hasPrefix(path, r.pkgs) || hasPrefix(path, r.except) {
				continue
			}
			for _, imp := range p.imports {
				if hasPrefix(imp, r.banned) {
					out = append(out, path+" imports "+imp+": "+r.why)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestImportDirection(t *testing.T) {
	for _, v := range importViolations(packages(t)) {
		t.Error(v)
	}
}

// TestImportRulesCatchViolations: the rules find what they are meant to, and let
// commands be commands.
func TestImportRulesCatchViolations(t *testing.T) {
	tests := []struct {
		pkg, imp string
		banned   bool
	}{
		{"/pkg/proxy", "github.com/spf13/cobra", true},
		{"/pkg/dns", "/pkg/iostreams", true},
		{"/pkg/machine", "/pkg/api", true},
		{"/pkg/deploy", "/pkg/cmdutil", true},
		{"/pkg/flycast", "/pkg/agent", true},
		{"/pkg/hostnet", "github.com/charmbracelet/huh", true},
		{"/pkg/hostnames", "/pkg/prompt", true},
		{"/pkg/hostpeers", "/pkg/cmd/ips", true},
		{"/pkg/machine/machinetest", "/pkg/iostreams", true},
		{"/pkg/agent", "/pkg/iostreams", true},
		{"/pkg/api", "/pkg/state", true},
		{"/pkg/home", "github.com/docker/docker/client", true},
		{"/pkg/cmd/deploy", "/pkg/iostreams", false},
		{"/pkg/cmdutil", "/pkg/iostreams", false},
		{"/pkg/runtime/docker", "github.com/docker/docker/client", false},
		{"/pkg/agent", "/pkg/api", false},
	}
	for _, tt := range tests {
		imp := tt.imp
		if strings.HasPrefix(imp, "/") {
			imp = module + imp
		}
		got := importViolations(map[string]pkgInfo{module + tt.pkg: {imports: []string{imp}}})
		if (len(got) > 0) != tt.banned {
			t.Errorf("%s importing %s: violations %q, want banned=%v", tt.pkg, tt.imp, got, tt.banned)
		}
	}
}

func TestEveryPackageHasALayer(t *testing.T) {
	layers := slices.Concat(commandPkgs, clientPkgs, daemonPkgs, domainPkgs, exemptPkgs)
	for path := range packages(t) {
		if !hasPrefix(path, layers) {
			t.Errorf("%s is in no layer: add it to one in arch_test.go so its imports are checked", path)
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

func prefixed(paths ...string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = module + p
	}
	return out
}

func hasPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
