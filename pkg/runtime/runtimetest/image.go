package runtimetest

import (
	"context"
	"fmt"
	"io"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// AddImage makes refs present locally.
func (e *Engine) AddImage(refs ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range refs {
		e.images[r] = true
	}
}

// AddRemoteImage makes refs available to PullImage.
func (e *Engine) AddRemoteImage(refs ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range refs {
		e.remote[r] = true
	}
}

// ImageExists reports whether ref was added, pulled or built.
func (e *Engine) ImageExists(ctx context.Context, ref string) (bool, error) {
	if err := e.begin("ImageExists", ref); err != nil {
		return false, err
	}
	defer e.mu.Unlock()
	return e.images[ref], nil
}

// PullImage succeeds for references added with AddRemoteImage.
func (e *Engine) PullImage(ctx context.Context, ref string, progress runtime.ProgressSink) error {
	if err := e.begin("PullImage", ref); err != nil {
		return err
	}
	defer e.mu.Unlock()
	if !e.remote[ref] {
		return fmt.Errorf("%w: image %s was not found in its registry (manifest unknown)", runtime.ErrImageUnavailable, ref)
	}
	if progress != nil {
		progress(runtime.Progress{Layer: "fake", Status: "Pull complete", Current: 1, Total: 1})
	}
	e.images[ref] = true
	return nil
}

// BuildImage reads the whole context and tags a new image.
func (e *Engine) BuildImage(ctx context.Context, spec runtime.BuildSpec, out io.Writer) (string, error) {
	if _, err := io.Copy(io.Discard, spec.Context); err != nil {
		return "", fmt.Errorf("reading the build context: %w", err)
	}
	if err := e.begin("BuildImage", fmt.Sprint(spec.Tags)); err != nil {
		return "", err
	}
	defer e.mu.Unlock()
	id := "sha256:" + e.newID()
	e.images[id] = true
	for _, t := range spec.Tags {
		e.images[t] = true
	}
	if out != nil {
		fmt.Fprintf(out, "Successfully built %s\n", id)
	}
	return id, nil
}

// RemoveImage forgets a local image.
func (e *Engine) RemoveImage(ctx context.Context, ref string) error {
	if err := e.begin("RemoveImage", ref); err != nil {
		return err
	}
	defer e.mu.Unlock()
	if !e.images[ref] {
		return fmt.Errorf("%w: image %s is not available locally", runtime.ErrImageNotFound, ref)
	}
	delete(e.images, ref)
	return nil
}
