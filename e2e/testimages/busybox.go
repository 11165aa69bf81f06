package testimages

import (
	"context"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// BusyboxPath is the static busybox put in the busybox image: Debian's
// busybox-static package installs it (apt-get install busybox-static).
var BusyboxPath = "/bin/busybox"

const busyboxDockerfile = `FROM scratch
COPY rootfs/ /
ENV PATH=/bin
CMD ["sh"]
`

// BuildBusybox builds a FROM scratch image tagged tag with the host's static
// busybox, a /bin link for each of its applets (sh, ls, cat, nslookup, ping,
// sleep, ip, …), and hget, a static HTTP client, in /bin.
func BuildBusybox(ctx context.Context, eng runtime.Engine, tag string) error {
	dir, err := os.MkdirTemp("", "hangar-busybox-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "rootfs", "bin")
	if err := busyboxRoot(filepath.Join(dir, "rootfs"), BusyboxPath); err != nil {
		return err
	}
	if err := goBuild(ctx, eng, "hget", filepath.Join(bin, "hget")); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(busyboxDockerfile), 0o644); err != nil {
		return err
	}
	return build(ctx, eng, dir, tag)
}

// busyboxRoot lays out root: bin/busybox, its applet links, and a /tmp.
func busyboxRoot(root, busybox string) error {
	applets, err := busyboxApplets(busybox)
	if err != nil {
		return err
	}
	bin := filepath.Join(root, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	if err := copyExecutable(busybox, filepath.Join(bin, "busybox")); err != nil {
		return err
	}
	for _, a := range applets {
		if err := os.Symlink("busybox", filepath.Join(bin, a)); err != nil {
			return err
		}
	}
	return mkdirSticky(filepath.Join(root, "tmp"))
}

// busyboxApplets checks that busybox is static and lists its applets.
func busyboxApplets(busybox string) ([]string, error) {
	hint := "; install Debian's busybox-static (apt-get install busybox-static)"
	f, err := elf.Open(busybox)
	if err != nil {
		return nil, fmt.Errorf("reading busybox: %w%s", err, hint)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return nil, fmt.Errorf("%s is dynamically linked and cannot run in a scratch image%s", busybox, hint)
		}
	}
	out, err := exec.Command(busybox, "--list").Output()
	if err != nil {
		return nil, fmt.Errorf("listing busybox applets: %w", err)
	}
	var applets []string
	for _, a := range strings.Fields(string(out)) {
		if a != "busybox" && a != "hget" && !strings.Contains(a, "/") {
			applets = append(applets, a)
		}
	}
	return applets, nil
}

func copyExecutable(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o755)
}

// mkdirSticky makes a world-writable sticky directory, like /tmp.
func mkdirSticky(dir string) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	return os.Chmod(dir, 0o777|os.ModeSticky)
}
