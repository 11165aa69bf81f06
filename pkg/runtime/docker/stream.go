package docker

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// Logs returns a container's stdout and stderr as one stream. Docker
// multiplexes the two unless the container has a terminal; this undoes that.
func (e *Engine) Logs(ctx context.Context, id string, opts runtime.LogOptions) (io.ReadCloser, error) {
	c, err := e.InspectContainer(ctx, id)
	if err != nil {
		return nil, err
	}
	rc, err := e.cli.ContainerLogs(ctx, id, logsOptions(opts))
	if err != nil {
		return nil, e.err(err)
	}
	if c.Tty {
		return rc, nil
	}
	return demux(rc, rc), nil
}

func logsOptions(opts runtime.LogOptions) container.LogsOptions {
	o := container.LogsOptions{ShowStdout: true, ShowStderr: true, Follow: opts.Follow, Timestamps: opts.Timestamps, Tail: "all"}
	if opts.Tail > 0 {
		o.Tail = strconv.Itoa(opts.Tail)
	}
	if !opts.Since.IsZero() {
		o.Since = fmt.Sprintf("%d.%09d", opts.Since.Unix(), opts.Since.Nanosecond())
	}
	return o
}

// demux copies a multiplexed stream into a pipe until src ends or the
// returned reader is closed, which also closes closer.
func demux(src io.Reader, closer io.Closer) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		_, err := stdcopy.StdCopy(pw, pw, src)
		pw.CloseWithError(err)
	}()
	return &demuxed{PipeReader: pr, closer: closer}
}

type demuxed struct {
	*io.PipeReader
	closer io.Closer
}

func (d *demuxed) Close() error {
	d.PipeReader.Close()
	return d.closer.Close()
}

// Attach connects to a container's stdin, stdout and stderr.
func (e *Engine) Attach(ctx context.Context, id string) (io.ReadWriteCloser, error) {
	c, err := e.InspectContainer(ctx, id)
	if err != nil {
		return nil, err
	}
	resp, err := e.cli.ContainerAttach(ctx, id, container.AttachOptions{Stream: true, Stdin: true, Stdout: true, Stderr: true})
	if err != nil {
		return nil, e.err(err)
	}
	a := &attached{resp: resp, Reader: resp.Reader}
	if !c.Tty {
		a.Reader = demux(resp.Reader, resp.Conn)
	}
	return a, nil
}

// attached is an attach session: reads come from the container's output,
// writes go to its stdin.
type attached struct {
	io.Reader
	resp types.HijackedResponse
}

func (a *attached) Write(p []byte) (int, error) { return a.resp.Conn.Write(p) }

// CloseWrite closes the container's stdin and keeps reading its output.
func (a *attached) CloseWrite() error { return a.resp.CloseWrite() }

func (a *attached) Close() error {
	a.resp.Close()
	return nil
}

// ResizeTTY sets the terminal size of a container created with Tty.
func (e *Engine) ResizeTTY(ctx context.Context, id string, rows, cols uint) error {
	return e.err(e.cli.ContainerResize(ctx, id, container.ResizeOptions{Height: rows, Width: cols}))
}
