package hostpeers

import (
	"os"
	"path/filepath"
	"strings"
)

// A ledger is what an agent changed on the host that outlives it when it is killed
// (local routes, say), one line each, in <dir>/<id>.<kind>. The next agent of any
// installation takes back what the ledgers of dead agents list.

// Record replaces installation id's ledger of kind with lines, atomically.
func Record(dir, id, kind string, lines []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := ledgerPath(dir, id, kind)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Forget removes installation id's ledger of kind.
func Forget(dir, id, kind string) { os.Remove(ledgerPath(dir, id, kind)) }

// Orphans returns the ledgers of kind whose agents are gone, by installation.
func Orphans(dir, kind string) map[string][]string {
	paths, _ := filepath.Glob(filepath.Join(dir, "*."+kind))
	out := map[string][]string{}
	for _, p := range paths {
		id := strings.TrimSuffix(filepath.Base(p), "."+kind)
		if Alive(dir, id) {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		out[id] = strings.Fields(string(data))
	}
	return out
}

func ledgerPath(dir, id, kind string) string { return filepath.Join(dir, id+"."+kind) }
