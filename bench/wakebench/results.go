package main

import (
	"fmt"
	"os"
	"time"
)

// labels names each measurement, in the order the table prints them.
var (
	order  = []string{"stop", "cold", "suspend", "v4", "v6", "v4start", "floor", "ha", "slow"}
	labels = map[string]string{
		"stop":    "hangar wake, stop tier (app stopped, sandbox up)",
		"cold":    "hangar wake, cold tier (sandbox stopped too)",
		"suspend": "hangar wake, suspend tier (app paused)",
		"v4":      "bare create+start, IPv4 bridge (docker run -d)",
		"v6":      "bare create+start, IPv6 bridge like hangar's",
		"v4start": "bare docker start (existing), IPv4 bridge",
		"floor":   "floor: docker start joined to a running sandbox",
		"ha":      "request during a stop, 2 machines (ha)",
		"slow":    "request during a 1 s stop, 1 machine",
	}
	ratios = [][2]string{{"stop", "v4"}, {"stop", "v6"}, {"stop", "v4start"}, {"stop", "floor"}, {"cold", "v4"}, {"cold", "v6"}, {"suspend", "stop"}, {"cold", "stop"}}
)

// results collects the medians; each is printed to stderr as it comes, and all at the end.
type results struct {
	d     map[string]time.Duration
	notes map[string]string
	mem   []string
}

func newResults() *results {
	return &results{d: map[string]time.Duration{}, notes: map[string]string{}}
}

func (r *results) add(key string, d time.Duration) {
	r.d[key] = d
	fmt.Fprintf(os.Stderr, "wakebench: %s: %.1f ms\n", labels[key], ms(d))
}

func (r *results) note(key, s string) { r.notes[key] = s }

// memory records the samples of n sleeping machines and of the host before them.
func (r *results) memory(warm, cold, before memSample, n int) {
	r.mem = []string{"stop tier: " + warm.perMachine(before, n), "cold tier: " + cold.perMachine(before, n),
		fmt.Sprintf("stop → cold freed %.2f MB of MemAvailable per machine", (cold.available-warm.available)/float64(n)/(1<<20))}
}

func (r *results) print(rounds int) {
	fmt.Printf("\nFirst byte, medians of %d rounds:\n", rounds)
	for _, k := range order {
		if d, ok := r.d[k]; ok {
			fmt.Printf("  %-52s %8.1f ms  %s\n", labels[k], ms(d), r.notes[k])
		}
	}
	fmt.Println("Ratios:")
	for _, q := range ratios {
		if a, b := r.d[q[0]], r.d[q[1]]; a > 0 && b > 0 {
			fmt.Printf("  %-22s / %-22s %5.2f\n", q[0], q[1], float64(a)/float64(b))
		}
	}
	if a, b := r.d["stop"], r.d["v4"]; a > 0 && b > 0 {
		fmt.Printf("Goal (stop-tier wake through hangar ≤ bare create+start on IPv4): %s\n", map[bool]string{true: "met", false: "NOT met"}[a <= b])
	}
	if len(r.mem) > 0 {
		fmt.Println("Memory per sleeping machine (MemAvailable is host-wide and noisy: page cache, other work):")
		for _, m := range r.mem {
			fmt.Println("  " + m)
		}
	}
}
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
