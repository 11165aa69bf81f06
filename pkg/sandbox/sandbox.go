// Package sandbox builds, with no registry or toolchain, the image of the container that holds a machine's network namespace while its app is stopped.
package sandbox

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	goruntime "runtime"
	"sync"
	"time"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// Repository is the local name of the sandbox image; Ref adds the tag.
const Repository = "hangar-sandbox"

const dockerfile = `FROM scratch
LABEL hangar.role="sandbox"
COPY pause /pause
ENTRYPOINT ["/pause"]
`

// Builder is what Ensure needs of a container engine; runtime.Engine has it.
type Builder interface {
	ImageExists(ctx context.Context, ref string) (bool, error)
	BuildImage(ctx context.Context, spec runtime.BuildSpec, out io.Writer) (imageID string, err error)
}

var _ Builder = runtime.Engine(nil)

// hostContext is the build context for the architecture this binary runs on,
// which is the engine's: Hangar runs on the engine's machine.
var hostContext = sync.OnceValues(func() ([]byte, error) { return buildContext(goruntime.GOARCH) })

// Ref is the sandbox image's reference. Its tag is a digest of the build
// context, so a new program gets a new tag and an old image is never reused.
func Ref() string {
	archive, _ := hostContext() // on an unsupported architecture Ensure reports the error
	sum := sha256.Sum256(archive)
	return Repository + ":" + hex.EncodeToString(sum[:])[:12]
}

// building is held by the Ensure call checking or building the image, so that
// concurrent callers build once; a channel so that waiting respects ctx.
var building = make(chan struct{}, 1)

// Ensure builds the sandbox image with labels unless it exists, and returns Ref.
// An existing image keeps the labels it was built with.
func Ensure(ctx context.Context, engine Builder, labels map[string]string) (string, error) {
	if err := ensure(ctx, engine, labels); err != nil {
		return "", fmt.Errorf("building the sandbox image: %w", err)
	}
	return Ref(), nil
}

func ensure(ctx context.Context, engine Builder, labels map[string]string) error {
	archive, err := hostContext()
	if err != nil {
		return err
	}
	select {
	case building <- struct{}{}:
		defer func() { <-building }()
	case <-ctx.Done():
		return ctx.Err()
	}
	ref := Ref()
	if ok, err := engine.ImageExists(ctx, ref); err != nil || ok {
		return err
	}
	spec := runtime.BuildSpec{Context: bytes.NewReader(archive), Tags: []string{ref}, Labels: labels}
	_, err = engine.BuildImage(ctx, spec, nil)
	return err
}

// buildContext is the tar of the Dockerfile and the pause program for goarch.
// Its entries carry fixed times and owners so that the same program always
// gives the same bytes, and so the same Ref.
func buildContext(goarch string) ([]byte, error) {
	pause, err := Pause(goarch)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct {
		name string
		mode int64
		body []byte
	}{{"Dockerfile", 0o644, []byte(dockerfile)}, {"pause", 0o755, pause}} {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: f.mode, Size: int64(len(f.body)), ModTime: time.Unix(0, 0), Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
