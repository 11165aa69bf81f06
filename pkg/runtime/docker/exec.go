package docker

import (
	"context"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// Exec creates an exec in a running container and attaches to it (which starts it).
func (e *Engine) Exec(ctx context.Context, id string, spec runtime.ExecSpec) (runtime.ExecSession, error) {
	opts := container.ExecOptions{Cmd: spec.Cmd, Env: envList(spec.Env), Tty: spec.Tty,
		AttachStdin: true, AttachStdout: true, AttachStderr: true}
	created, err := e.cli.ContainerExecCreate(ctx, id, opts)
	if err != nil {
		return runtime.ExecSession{}, e.err(err)
	}
	resp, err := e.cli.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{Tty: spec.Tty})
	if err != nil {
		return runtime.ExecSession{}, e.err(err)
	}
	a := &attached{resp: resp, Reader: resp.Reader}
	if !spec.Tty {
		a.Reader = demux(resp.Reader, resp.Conn)
	}
	return runtime.ExecSession{ID: created.ID, Stream: a}, nil
}

// ResizeExec sets an exec's terminal size.
func (e *Engine) ResizeExec(ctx context.Context, execID string, rows, cols uint) error {
	return e.err(e.cli.ContainerExecResize(ctx, execID, container.ResizeOptions{Height: rows, Width: cols}))
}

// ExecExitCode returns the exit code once the engine has recorded the exec's end: the
// stream can close a moment before it does.
func (e *Engine) ExecExitCode(ctx context.Context, execID string) (int, error) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := e.cli.ContainerExecInspect(ctx, execID)
		if err != nil {
			return 0, e.err(err)
		}
		if !st.Running {
			return st.ExitCode, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("exec %s is still running after its output ended", execID)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
