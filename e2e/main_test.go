package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// hangarBin is the binary under test, built once for the package.
var hangarBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hangar-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	hangarBin = filepath.Join(dir, "hangar")
	build := exec.Command("go", "build", "-o", hangarBin, "../cmd/hangar")
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // as the README installs it
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building hangar:", err)
		os.Exit(1)
	}
	code := m.Run()
	removeImages()
	os.RemoveAll(dir)
	os.Exit(code)
}
