package runtime

import "time"

// VolumeSpec asks for a named volume on the engine's local driver, which keeps it in a
// directory of the host and cannot limit its size.
type VolumeSpec struct {
	Name   string
	Labels map[string]string
}

// Volume is a named volume as the engine reports it.
type Volume struct {
	Name       string
	Labels     map[string]string
	Mountpoint string // its directory on the host, readable by root
	CreatedAt  time.Time
}

// Mount puts a named volume at Target inside a container.
type Mount struct {
	Volume string // the volume's name
	Target string // an absolute path in the container, never "/"
}
