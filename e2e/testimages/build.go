// Package testimages builds the images Hangar's end-to-end tests run, without
// a registry: static Go binaries and Debian's busybox-static in FROM scratch
// images, built by the engine's classic builder from a local context.
package testimages

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// Labels are set on every test image.
var Labels = map[string]string{"hangar.test": "true"}

const helloDockerfile = `FROM scratch
COPY hello /hello
EXPOSE 80
ENTRYPOINT ["/hello"]
`

// BuildHello builds the hello server (see ./hello) into a FROM scratch image
// tagged tag. It needs the go command.
func BuildHello(ctx context.Context, eng runtime.Engine, tag string) error {
	dir, err := os.MkdirTemp("", "hangar-hello-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := goBuild(ctx, eng, "hello", filepath.Join(dir, "hello")); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(helloDockerfile), 0o644); err != nil {
		return err
	}
	return build(ctx, eng, dir, tag)
}

// build builds the context in dir with the classic builder.
func build(ctx context.Context, eng runtime.Engine, dir, tag string) error {
	tar := runtime.ContextTar(dir)
	defer tar.Close()
	spec := runtime.BuildSpec{Context: tar, Tags: []string{tag}, Labels: Labels}
	if _, err := eng.BuildImage(ctx, spec, nil); err != nil {
		return fmt.Errorf("image %s: %w", tag, err)
	}
	return nil
}

// goBuild compiles the command in this directory's subdirectory cmd into a
// static binary at out, for the engine's architecture.
func goBuild(ctx context.Context, eng runtime.Engine, cmd, out string) error {
	info, err := eng.Info(ctx)
	if err != nil {
		return err
	}
	c := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
	c.Dir = filepath.Join(sourceDir(), cmd)
	c.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+info.Arch)
	if output, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("compiling %s: %w\n%s", cmd, err, output)
	}
	return nil
}

// sourceDir is the directory holding this file and the commands' sources.
func sourceDir() string {
	_, file, _, _ := goruntime.Caller(0)
	return filepath.Dir(file)
}
