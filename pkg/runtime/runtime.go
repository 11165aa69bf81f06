// Package runtime is Hangar's narrow interface to the container engine; only runtime/docker talks to Docker.
package runtime

import (
	"context"
	"io"
	"time"
)

// Engine is everything the daemon asks of a container engine. Implementations
// translate engine errors into the sentinels of errors.go with one-line
// messages a user can act on.
type Engine interface {
	// Info reports the engine's version and the API version in use after negotiation.
	Info(ctx context.Context) (Info, error)

	// EnsureNetwork creates an IPv6 bridge network, or returns the existing one
	// when its subnet and labels match the spec (ErrNetworkMismatch otherwise).
	EnsureNetwork(ctx context.Context, spec NetworkSpec) (Network, error)
	// RemoveNetwork deletes a network; ErrNotFound if there is none by that name.
	RemoveNetwork(ctx context.Context, name string) error

	// ImageExists reports whether ref is present locally.
	ImageExists(ctx context.Context, ref string) (bool, error)
	// PullImage fetches ref from its registry, reporting per-layer progress to
	// progress (which may be nil).
	PullImage(ctx context.Context, ref string, progress ProgressSink) error
	// BuildImage builds an image from a tar of a context directory with the
	// classic builder, writes the build output to out, and returns the image ID.
	BuildImage(ctx context.Context, spec BuildSpec, out io.Writer) (imageID string, err error)
	// RemoveImage deletes a local image by reference or ID.
	RemoveImage(ctx context.Context, ref string) error

	// CreateContainer creates a container and returns its ID.
	CreateContainer(ctx context.Context, spec ContainerSpec) (string, error)
	StartContainer(ctx context.Context, id string) error
	// StopContainer sends signal (the container's StopSignal when empty), waits
	// up to timeout (its StopTimeout when zero), then kills it. Stopping a
	// container that is not running is not an error.
	StopContainer(ctx context.Context, id string, signal string, timeout time.Duration) error
	PauseContainer(ctx context.Context, id string) error
	UnpauseContainer(ctx context.Context, id string) error
	// RemoveContainer deletes a container; force removes a running one.
	RemoveContainer(ctx context.Context, id string, force bool) error
	// InspectContainer returns a container's full state; ErrNotFound if it is gone.
	InspectContainer(ctx context.Context, id string) (Container, error)
	// ListContainers returns containers in every state carrying all the labels.
	// Exit details (StartedAt, FinishedAt, OOMKilled) are filled by Inspect only.
	ListContainers(ctx context.Context, labels map[string]string) ([]Container, error)

	// Events streams container lifecycle events for containers carrying all
	// the labels, starting at since (now when zero). The event channel closes
	// when the stream ends; the error channel then holds why (ctx.Err() after
	// cancellation). Subscribe before listing to reconcile without gaps.
	Events(ctx context.Context, labels map[string]string, since time.Time) (<-chan Event, <-chan error)
	// Logs returns the container's stdout and stderr, demultiplexed; lines are
	// in order within each stream, interleaved as the engine received them.
	Logs(ctx context.Context, id string, opts LogOptions) (io.ReadCloser, error)

	// Attach connects to the stdin, stdout and stderr of a container created
	// with OpenStdin (and usually Tty); attach before starting to miss nothing.
	// The stream also implements CloseWrite() error to close stdin only.
	Attach(ctx context.Context, id string) (io.ReadWriteCloser, error)
	// ResizeTTY sets the terminal size of a container created with Tty.
	ResizeTTY(ctx context.Context, id string, rows, cols uint) error

	// Exec runs a command in a running container, connected to the returned stream.
	Exec(ctx context.Context, id string, spec ExecSpec) (ExecSession, error)
	// ResizeExec sets the terminal size of an exec started with Tty.
	ResizeExec(ctx context.Context, execID string, rows, cols uint) error
	// ExecExitCode waits briefly for an exec whose stream ended and returns its exit code.
	ExecExitCode(ctx context.Context, execID string) (int, error)
	// CreateVolume creates a named volume (ErrConflict if the name is taken).
	CreateVolume(ctx context.Context, spec VolumeSpec) (Volume, error)
	// InspectVolume returns a volume with its Mountpoint; ErrNotFound if there is none.
	InspectVolume(ctx context.Context, name string) (Volume, error)
	// RemoveVolume deletes a volume; ErrNotFound if there is none, ErrConflict while a container uses it.
	RemoveVolume(ctx context.Context, name string) error
	// ListVolumes returns the volumes carrying all the labels.
	ListVolumes(ctx context.Context, labels map[string]string) ([]Volume, error)
}

// Info describes the engine behind an Engine.
type Info struct {
	ServerVersion string // engine release, like "20.10.24"
	APIVersion    string // API version in use after negotiation, like "1.41"
	MaxAPIVersion string // newest API version the engine speaks
	MinAPIVersion string // oldest API version the engine accepts
	OS, Arch      string // engine platform, like "linux", "amd64"
	Host          string // address of the engine, like "unix:///var/run/docker.sock"
}
