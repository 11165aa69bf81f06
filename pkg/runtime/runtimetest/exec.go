package runtimetest

import (
	"context"
	"fmt"
	"net"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// execRecord is one exec: its command, terminal size and, once ended, exit code.
type execRecord struct {
	cmd        []string
	rows, cols uint
	done       chan struct{} // closed when the command returned
	code       int
}

// Exec runs ExecFunc in a running container, joined to the returned stream by a pipe.
func (e *Engine) Exec(ctx context.Context, id string, spec runtime.ExecSpec) (runtime.ExecSession, error) {
	if err := e.begin("Exec", id); err != nil {
		return runtime.ExecSession{}, err
	}
	defer e.mu.Unlock()
	c, err := e.lookup(id)
	if err != nil {
		return runtime.ExecSession{}, err
	}
	if c.State != runtime.StateRunning {
		return runtime.ExecSession{}, fmt.Errorf("%w: container %s is not running", runtime.ErrConflict, c.Name)
	}
	if e.execs == nil {
		e.execs = map[string]*execRecord{}
	}
	execID := e.newID()
	rec := &execRecord{cmd: spec.Cmd, done: make(chan struct{})}
	e.execs[execID] = rec
	client, side := net.Pipe()
	fn := e.ExecFunc
	go func() {
		if fn != nil {
			rec.code = fn(c.ID, spec.Cmd, side, side)
		}
		close(rec.done)
		side.Close()
	}()
	return runtime.ExecSession{ID: execID, Stream: halfCloser{client}}, nil
}

// ResizeExec records an exec's terminal size.
func (e *Engine) ResizeExec(ctx context.Context, execID string, rows, cols uint) error {
	rec, err := e.exec("ResizeExec", execID)
	if err == nil {
		e.mu.Lock()
		rec.rows, rec.cols = rows, cols
		e.mu.Unlock()
	}
	return err
}

// ExecExitCode waits for the command to return and gives its code.
func (e *Engine) ExecExitCode(ctx context.Context, execID string) (int, error) {
	rec, err := e.exec("ExecExitCode", execID)
	if err != nil {
		return 0, err
	}
	select {
	case <-rec.done:
		return rec.code, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func (e *Engine) exec(op, execID string) (*execRecord, error) {
	if err := e.begin(op, execID); err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	rec, ok := e.execs[execID]
	if !ok {
		return nil, fmt.Errorf("%w: no exec %s", runtime.ErrNotFound, execID)
	}
	return rec, nil
}

// ExecSize is an exec's terminal size as last set with ResizeExec.
func (e *Engine) ExecSize(execID string) (rows, cols uint) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if rec, ok := e.execs[execID]; ok {
		return rec.rows, rec.cols
	}
	return 0, 0
}
