package toml

import (
	"fmt"
	"time"
)

// Duration is a time.Duration written as a Go duration string ("5s",
// "1m21s"), which is how flyctl writes every duration field.
type Duration struct{ time.Duration }

// MarshalText writes the duration as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.Duration.String()), nil }

// UnmarshalText reads a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("parsing duration: %w", err)
	}
	d.Duration = v
	return nil
}

// AutoStop is what the proxy does with idle machines: auto_stop_machines.
type AutoStop string

// The values auto_stop_machines accepts. A TOML false means off and true
// means stop.
const (
	AutoStopOff     AutoStop = "off"
	AutoStopStop    AutoStop = "stop"
	AutoStopSuspend AutoStop = "suspend"
)

// Valid reports whether a is one of off, stop and suspend.
func (a AutoStop) Valid() bool {
	switch a {
	case AutoStopOff, AutoStopStop, AutoStopSuspend:
		return true
	}
	return false
}

// ParseAutoStop reads auto_stop_machines as flyctl does: false, true, or
// one of the three strings.
func ParseAutoStop(v any) (AutoStop, error) {
	switch v := v.(type) {
	case bool:
		if v {
			return AutoStopStop, nil
		}
		return AutoStopOff, nil
	case string:
		if a := AutoStop(v); a.Valid() {
			return a, nil
		}
	}
	return "", fmt.Errorf("must be one of off, stop, suspend (or false/true), got %s", describe(v))
}
