package testimages

import (
	"context"
	"os"
	"path/filepath"

	"github.com/hangarhq/hangar/pkg/runtime"
)

const kvDockerfile = `FROM scratch
COPY kv /kv
EXPOSE 80
ENTRYPOINT ["/kv"]
`

// BuildKV builds the key-value server of the volume tests (see ./kv), which keeps its
// values in files under /data, into a FROM scratch image tagged tag.
func BuildKV(ctx context.Context, eng runtime.Engine, tag string) error {
	dir, err := os.MkdirTemp("", "hangar-kv-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := goBuild(ctx, eng, "kv", filepath.Join(dir, "kv")); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(kvDockerfile), 0o644); err != nil {
		return err
	}
	return build(ctx, eng, dir, tag)
}
