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

// Scale errors.
var (
	// ErrNoRelease: scale needs a complete release to copy machines from.
	ErrNoRelease = errors.New("this app has no complete releases. Run `hangar deploy` to create one and rerun this command")
	// ErrUnknownGroup: a process group the deployed fly.toml does not have.
	ErrUnknownGroup = errors.New("unknown process group")
	// ErrBadCount: a negative machine count, or a change that would make one.
	ErrBadCount = errors.New("invalid count")
	// ErrMaxPerRegion: the regions cannot hold the count at --max-per-region (flyctl's words).
	ErrMaxPerRegion = errors.New("the number of regions by the maximum machines per region is fewer than the expected total")
)
