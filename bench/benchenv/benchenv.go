// Package benchenv is what every benchmark program starts with: flags, the Docker engine, and the hello image built without a registry.
package benchenv

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/hangarhq/hangar/e2e/testimages"
	"github.com/hangarhq/hangar/pkg/runtime"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
)

// Env is a benchmark's engine and image.
type Env struct {
	Engine *docker.Engine
	Info   runtime.Info
	Image  string // the hello server, built for this run
	Rounds int
	Hangar string // the hangar binary under test
}

// Main parses -n and -hangar, prepares the engine and image, runs body, cleans up, and
// exits non-zero with the error's words on failure.
func Main(name string, body func(context.Context, *Env) error) {
	e := &Env{}
	flag.IntVar(&e.Rounds, "n", 5, "rounds of each measurement")
	flag.StringVar(&e.Hangar, "hangar", "hangar", "the hangar binary")
	flag.Parse()
	if err := run(e, body); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

func run(e *Env, body func(context.Context, *Env) error) error {
	ctx := context.Background()
	var err error
	if e.Engine, err = docker.New(); err != nil {
		return err
	}
	if e.Info, err = e.Engine.Info(ctx); err != nil {
		return err
	}
	e.Image = fmt.Sprintf("hangar-bench-hello:%d", os.Getpid())
	if err := testimages.BuildHello(ctx, e.Engine, e.Image); err != nil {
		return err
	}
	defer e.Engine.RemoveImage(ctx, e.Image)
	return body(ctx, e)
}
