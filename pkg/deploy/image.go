package deploy

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/runtime"
)

// resolveImage settles which image the release runs: the one named, pulled
// if it is not local, or one built from the build directory.
func (d *deployment) resolveImage(ctx context.Context) error {
	switch {
	case d.req.Image != "":
		return d.useImage(ctx, d.req.Image)
	case d.req.BuildDir != "":
		return d.build(ctx)
	}
	return fmt.Errorf("deploying %s: %w: pass --image, set [build] image in fly.toml, or deploy from a directory with a Dockerfile",
		d.req.App, ErrNoImage)
}

func (d *deployment) useImage(ctx context.Context, ref string) error {
	d.step("Using image %s", ref)
	local, err := d.engine.ImageExists(ctx, ref)
	if err != nil {
		return fmt.Errorf("looking for image %s: %w", ref, err)
	}
	if !local {
		d.step("Pulling %s", ref)
		if err := d.engine.PullImage(ctx, ref, d.pullProgress); err != nil {
			return fmt.Errorf("pulling image %s: %w", ref, err)
		}
	}
	d.info("image: %s", ref)
	d.image = ref
	return nil
}

func (d *deployment) pullProgress(p runtime.Progress) {
	d.emit(Event{Kind: KindPull, Text: p.Status, Layer: p.Layer, Current: p.Current, Total: p.Total})
}

// build builds the build directory with its Dockerfile and tags the image for this deploy.
func (d *deployment) build(ctx context.Context) error {
	dockerfile, args := "Dockerfile", map[string]string(nil)
	if b := d.req.Config.Build; b != nil {
		dockerfile, args = or(b.Dockerfile, dockerfile), b.Args
	}
	if _, err := os.Stat(filepath.Join(d.req.BuildDir, dockerfile)); err != nil {
		return fmt.Errorf("deploying %s: %w: no image given and no %s in %s", d.req.App, ErrNoImage, dockerfile, d.req.BuildDir)
	}
	tag := fmt.Sprintf("hangar/%s:deployment-%d", d.req.App, time.Now().UnixMilli())
	d.step("Building image with %s", dockerfile)
	tar := runtime.ContextTar(d.req.BuildDir)
	defer tar.Close()
	out := &lineWriter{emit: func(line string) { d.emit(Event{Kind: KindBuild, Text: line}) }}
	spec := runtime.BuildSpec{Context: tar, Dockerfile: filepath.ToSlash(dockerfile), Tags: []string{tag},
		BuildArgs: args, Labels: map[string]string{machine.LabelApp: d.req.App}}
	id, err := d.engine.BuildImage(ctx, spec, out)
	out.flush()
	if err != nil {
		return fmt.Errorf("building image from %s: %w", dockerfile, err)
	}
	d.info("image: %s (%.19s)", tag, id)
	d.image = tag
	return nil
}

// lineWriter hands each complete line written to it to emit.
type lineWriter struct {
	emit func(string)
	buf  []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.emit(string(bytes.TrimRight(w.buf[:i], "\r")))
		w.buf = w.buf[i+1:]
	}
}

// flush emits a last line that did not end in a newline.
func (w *lineWriter) flush() {
	if len(w.buf) > 0 {
		w.emit(string(w.buf))
		w.buf = nil
	}
}
