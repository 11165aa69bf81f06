package toml

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// parseMemoryMB reads a [[vm]] memory value: a plain number is megabytes,
// otherwise a size such as "1gb", "512mb" or "2g" in binary units.
func parseMemoryMB(s string) (int, error) {
	return parseSize(s, 1024, 1<<20)
}

// parseSizeGB reads a mount size: a plain number is gigabytes, otherwise a
// size such as "10gb" in decimal units.
func parseSizeGB(s string) (int, error) {
	return parseSize(s, 1000, 1e9)
}

// parseSize reads a plain number (already in units of unit bytes) or a
// number with a k/m/g/t/p suffix, optionally followed by "i" and/or "b",
// where each step is base times the previous one.
func parseSize(s string, base, unit float64) (int, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		return n, nil
	}
	num, suffix := splitNumber(s)
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || num == "" || strings.HasPrefix(num, ".") {
		return 0, fmt.Errorf("%q is not a size like 512mb or 1gb", s)
	}
	mult, ok := sizeMultiplier(strings.TrimSpace(suffix), base)
	if !ok {
		return 0, fmt.Errorf("%q has an unknown unit; use k, m, g, t or p (with an optional b)", s)
	}
	bytes := v * mult
	if bytes/unit > math.MaxInt32 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return int(bytes / unit), nil
}

func splitNumber(s string) (num, rest string) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	return s[:i], s[i:]
}

func sizeMultiplier(suffix string, base float64) (float64, bool) {
	suffix = strings.ToLower(suffix)
	suffix = strings.TrimSuffix(suffix, "b")
	suffix = strings.TrimSuffix(suffix, "i")
	if suffix == "" {
		return 1, true
	}
	i := strings.Index("kmgtp", suffix)
	if len(suffix) != 1 || i < 0 {
		return 0, false
	}
	return math.Pow(base, float64(i+1)), true
}
