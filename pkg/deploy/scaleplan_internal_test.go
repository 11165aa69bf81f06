package deploy

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// flyctl's Test_convergeGroupCounts cases: the spread must match Fly's.
func TestConvergeCounts(t *testing.T) {
	tests := []struct {
		name    string
		total   int
		current map[string]int
		regions []string
		max     int
		want    map[string]int
	}{
		{"spread from nothing", 3, nil, []string{"scl", "iad"}, -1, map[string]int{"scl": 2, "iad": 1}},
		{"spread from existing", 3, map[string]int{"scl": 1, "iad": 1}, []string{"scl", "iad"}, -1, map[string]int{"scl": 1}},
		{"already met", 2, map[string]int{"scl": 1, "iad": 1}, []string{"scl", "iad"}, -1, map[string]int{}},
		{"reduce", 1, map[string]int{"scl": 1, "iad": 1}, []string{"scl", "iad"}, -1, map[string]int{"iad": -1}},
		{"reduce, other order", 1, map[string]int{"scl": 1, "iad": 1}, []string{"iad", "scl"}, -1, map[string]int{"scl": -1}},
		{"unlisted regions stay, removing", 2, map[string]int{"scl": 3, "iad": 5, "ord": 1}, []string{"scl", "iad"}, -1, map[string]int{"scl": -3, "iad": -3}},
		{"unlisted regions stay, adding", 12, map[string]int{"scl": 3, "iad": 5, "ord": 1}, []string{"scl", "iad"}, -1, map[string]int{"scl": 2, "iad": 2}},
		{"max per region", 6, map[string]int{"scl": 2, "iad": 1}, []string{"scl", "iad"}, 3, map[string]int{"scl": 1, "iad": 2}},
		{"max per region with reductions", 8, map[string]int{"scl": 7, "iad": 1}, []string{"scl", "iad", "ord", "sin"}, 2,
			map[string]int{"scl": -5, "iad": 1, "ord": 2, "sin": 2}},
		{"one region", 1, map[string]int{"iad": 3}, []string{"iad"}, -1, map[string]int{"iad": -2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := convergeCounts(tt.total, tt.current, tt.regions, tt.max)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diffs (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := convergeCounts(10, nil, []string{"scl", "mia"}, 1); !errors.Is(err, ErrMaxPerRegion) {
		t.Errorf("10 machines in 2 regions at 1 per region: %v, want ErrMaxPerRegion", err)
	}
}

// With no region to put machines in, converging is an error, not a division by zero.
func TestConvergeCountsWithoutRegions(t *testing.T) {
	if _, err := convergeCounts(2, nil, nil, -1); err == nil {
		t.Error("converging onto no region succeeded")
	}
}
