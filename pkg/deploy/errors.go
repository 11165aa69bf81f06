package deploy

import "errors"

// Sentinels callers match with errors.Is; the wrapping error says what to do.
var (
	// ErrNoImage: no --image, no [build] image, and no Dockerfile to build from.
	ErrNoImage = errors.New("nothing to deploy")
	// ErrUnknownStrategy: a deploy strategy hangar does not know.
	ErrUnknownStrategy = errors.New("unknown deploy strategy")
	// ErrNoFreeVolume: a new machine's group mounts a volume and none of its name is free in the region.
	ErrNoFreeVolume = errors.New("no unattached volume")
)
