package runtime

import "errors"

// Errors every Engine returns, wrapped in a message for the user; test them
// with errors.Is.
var (
	// ErrEngineUnreachable means nothing answered at the engine's address.
	ErrEngineUnreachable = errors.New("container engine unreachable")
	// ErrPermissionDenied means the engine's socket refused this user.
	ErrPermissionDenied = errors.New("permission denied on the container engine")
	// ErrEngineTooOld means the engine does not speak an API version Hangar needs.
	ErrEngineTooOld = errors.New("container engine too old")
	// ErrNotFound means the container or network does not exist.
	ErrNotFound = errors.New("not found")
	// ErrImageNotFound means the image is not present locally.
	ErrImageNotFound = errors.New("image not found locally")
	// ErrRegistryUnreachable means a pull could not reach the registry.
	ErrRegistryUnreachable = errors.New("registry unreachable")
	// ErrImageUnavailable means the registry has no such image or tag, or denied access.
	ErrImageUnavailable = errors.New("image not in registry")
	// ErrConflict means a name is taken or the object is in the wrong state.
	ErrConflict = errors.New("conflict")
	// ErrSubnetInUse means a network's subnet overlaps another network.
	ErrSubnetInUse = errors.New("subnet in use")
	// ErrAddressInUse means a fixed container address is already taken.
	ErrAddressInUse = errors.New("address in use")
	// ErrNetworkMismatch means a network by that name exists with another
	// subnet or other labels, so it is not ours to reuse.
	ErrNetworkMismatch = errors.New("network exists with other settings")
	// ErrInvalidSpec means a spec was rejected before reaching the engine.
	ErrInvalidSpec = errors.New("invalid spec")
	// ErrBuildFailed means an image build step failed.
	ErrBuildFailed = errors.New("image build failed")
)
