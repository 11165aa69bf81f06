package docker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/jsonmessage"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// ImageExists reports whether ref is present locally.
func (e *Engine) ImageExists(ctx context.Context, ref string) (bool, error) {
	_, err := e.cli.ImageInspect(ctx, ref)
	if cerrdefs.IsNotFound(err) {
		return false, nil
	}
	return err == nil, e.err(err)
}

// RemoveImage deletes a local image by reference or ID.
func (e *Engine) RemoveImage(ctx context.Context, ref string) error {
	_, err := e.cli.ImageRemove(ctx, ref, image.RemoveOptions{PruneChildren: true})
	return e.err(err)
}

// PullImage fetches ref, reporting progress per layer. A registry error that
// arrives in the middle of the stream fails the pull with one line.
func (e *Engine) PullImage(ctx context.Context, ref string, progress runtime.ProgressSink) error {
	rc, err := e.cli.ImagePull(ctx, ref, image.PullOptions{})
	if err != nil {
		return translatePull(e.cli.DaemonHost(), ref, err)
	}
	defer rc.Close()
	err = decodeStream(rc, func(m *jsonmessage.JSONMessage) {
		if progress != nil {
			progress(toProgress(m))
		}
	})
	return translatePull(e.cli.DaemonHost(), ref, err)
}

func toProgress(m *jsonmessage.JSONMessage) runtime.Progress {
	p := runtime.Progress{Layer: m.ID, Status: m.Status}
	if m.Progress != nil {
		p.Current, p.Total = m.Progress.Current, m.Progress.Total
	}
	return p
}

// BuildImage builds spec's context with the classic builder, which takes the
// tar as is and never pulls "scratch", and returns the new image's ID.
func (e *Engine) BuildImage(ctx context.Context, spec runtime.BuildSpec, out io.Writer) (string, error) {
	resp, err := e.cli.ImageBuild(ctx, spec.Context, buildOptions(spec))
	if err != nil {
		return "", fmt.Errorf("building image: %w", e.err(err))
	}
	defer resp.Body.Close()
	if out == nil {
		out = io.Discard
	}
	var id string
	err = decodeStream(resp.Body, func(m *jsonmessage.JSONMessage) { id = buildStep(m, out, id) })
	if err != nil {
		return "", buildError(err)
	}
	if id == "" {
		return "", &engineError{kind: runtime.ErrBuildFailed, msg: "building image: the engine reported no image ID"}
	}
	return id, nil
}

func buildOptions(spec runtime.BuildSpec) build.ImageBuildOptions {
	args := map[string]*string{}
	for k, v := range spec.BuildArgs {
		args[k] = &v
	}
	return build.ImageBuildOptions{
		Version:    build.BuilderV1,
		Dockerfile: spec.Dockerfile,
		Tags:       spec.Tags,
		Labels:     maps.Clone(spec.Labels),
		BuildArgs:  args,
		NoCache:    spec.NoCache,
		Remove:     true,
		// Failed steps leave no intermediate containers behind either.
		ForceRemove: true,
	}
}

// buildStep writes a build message to out and returns the image ID, which
// arrives in an aux message at the end.
func buildStep(m *jsonmessage.JSONMessage, out io.Writer, id string) string {
	switch {
	case m.Stream != "":
		io.WriteString(out, m.Stream)
	case m.Status != "":
		fmt.Fprintln(out, m.Status)
	case m.Aux != nil:
		var aux struct{ ID string }
		if json.Unmarshal(*m.Aux, &aux) == nil && aux.ID != "" {
			return aux.ID
		}
	}
	return id
}

// buildError rewords a failed build step.
func buildError(err error) error {
	var s *streamError
	if errors.As(err, &s) {
		return &engineError{kind: runtime.ErrBuildFailed, msg: "building image: " + oneLine(s.msg), cause: err}
	}
	return fmt.Errorf("building image: %w", err)
}

// streamError is an error the engine sent inside a JSON message stream.
type streamError struct{ msg string }

func (e *streamError) Error() string { return e.msg }

// decodeStream hands each message of a JSON message stream to each and stops
// at the first error message: HTTP 200 does not mean success.
func decodeStream(r io.Reader, each func(*jsonmessage.JSONMessage)) error {
	dec := json.NewDecoder(r)
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("reading the engine's progress stream: %w", err)
		}
		if m.Error != nil {
			return &streamError{msg: m.Error.Message}
		}
		each(&m)
	}
}
