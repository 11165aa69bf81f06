package doctor

import (
	"fmt"
	"io"
)

// outcome is how a check ended.
type outcome int

const (
	passed  outcome = iota
	warned          // works, but not as well as it could: not a failure
	failed          // broken: hangar doctor exits 1
	skipped         // does not apply here
)

// result is one check: a line of the report and, when something is wrong, its fix.
type result struct {
	name    string
	outcome outcome
	detail  string
	fix     string
}

func pass(name, format string, args ...any) result {
	return result{name: name, outcome: passed, detail: fmt.Sprintf(format, args...)}
}

func warn(name, fix, format string, args ...any) result {
	return result{name: name, outcome: warned, detail: fmt.Sprintf(format, args...), fix: fix}
}

func fail(name, fix, format string, args ...any) result {
	return result{name: name, outcome: failed, detail: fmt.Sprintf(format, args...), fix: fix}
}

func skip(name, format string, args ...any) result {
	return result{name: name, outcome: skipped, detail: fmt.Sprintf(format, args...)}
}

func anyFailed(results []result) bool {
	for _, r := range results {
		if r.outcome == failed {
			return true
		}
	}
	return false
}

// markers are the start of each line: symbols in colour on a terminal, words otherwise.
var (
	fancyMarkers = map[outcome]string{passed: "\x1b[32m✓\x1b[0m", warned: "\x1b[33m!\x1b[0m", failed: "\x1b[31m✗\x1b[0m", skipped: "-"}
	plainMarkers = map[outcome]string{passed: "ok  ", warned: "WARN", failed: "FAIL", skipped: "skip"}
)

// printResults writes one line per check, each warning and failure followed by its fix.
func printResults(w io.Writer, fancy bool, results []result) error {
	markers := plainMarkers
	if fancy {
		markers = fancyMarkers
	}
	for _, r := range results {
		if _, err := fmt.Fprintf(w, "%s %s\n", markers[r.outcome], r.detail); err != nil {
			return err
		}
		if r.fix != "" && (r.outcome == warned || r.outcome == failed) {
			fmt.Fprintf(w, "  fix: %s\n", r.fix)
		}
	}
	return nil
}

// resultJSON is the --json contract: a warning or a skipped check is ok.
type resultJSON struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	Fix    string `json:"fix"`
}

func toJSON(results []result) []resultJSON {
	out := make([]resultJSON, 0, len(results))
	for _, r := range results {
		out = append(out, resultJSON{Name: r.name, OK: r.outcome != failed, Detail: r.detail, Fix: r.fix})
	}
	return out
}
