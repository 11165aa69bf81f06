package sandbox

import (
	"bytes"
	"debug/elf"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// wantCode is each architecture's program, checked against the Go toolchain's
// disassembler (go tool objdump) for arm64, not derived from the encoders.
var wantCode = map[string]struct {
	machine elf.Machine
	code    string
}{
	"amd64": {elf.EM_X86_64, "b822000000" + "0f05" + "ebf7"},
	"arm64": {elf.EM_AARCH64, "000080d2" + "010080d2" + "020080d2" + "030080d2" + "280980d2" + "010000d4" + "faffff17"},
}

func TestPauseIsAnExecutable(t *testing.T) {
	for arch, want := range wantCode {
		t.Run(arch, func(t *testing.T) {
			b, err := Pause(arch)
			if err != nil {
				t.Fatal(err)
			}
			f, err := elf.NewFile(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("parsing: %v", err)
			}
			if f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2LSB || f.Type != elf.ET_EXEC || f.Machine != want.machine {
				t.Errorf("class %v, data %v, type %v, machine %v; want ELFCLASS64, ELFDATA2LSB, ET_EXEC, %v", f.Class, f.Data, f.Type, f.Machine, want.machine)
			}
			if f.Entry != 0x400078 {
				t.Errorf("entry %#x, want 0x400078", f.Entry)
			}
			checkSegment(t, f.Progs, len(b))
			if got := hex.EncodeToString(b[codeOff:]); got != want.code {
				t.Errorf("code %s, want %s", got, want.code)
			}
		})
	}
}

// checkSegment: one R+X PT_LOAD maps the whole file at 0x400000.
func checkSegment(t *testing.T, progs []*elf.Prog, size int) {
	t.Helper()
	if len(progs) != 1 {
		t.Fatalf("%d program headers, want 1", len(progs))
	}
	p := progs[0]
	if p.Type != elf.PT_LOAD || p.Flags != elf.PF_R|elf.PF_X || p.Off != 0 || p.Vaddr != 0x400000 || p.Align != 0x1000 {
		t.Errorf("segment %+v, want PT_LOAD R+X at offset 0, vaddr 0x400000, align 0x1000", p.ProgHeader)
	}
	if p.Filesz != uint64(size) || p.Memsz != uint64(size) {
		t.Errorf("segment sizes %d/%d, want the file's %d", p.Filesz, p.Memsz, size)
	}
}

func TestPauseOtherArchitecture(t *testing.T) {
	_, err := Pause("riscv64")
	if err == nil || !strings.Contains(err.Error(), "amd64 and arm64") {
		t.Errorf("Pause(riscv64) error %v, want one naming amd64 and arm64", err)
	}
}

func TestPauseRunsUntilSIGTERM(t *testing.T) {
	t.Run("amd64", func(t *testing.T) {
		if goruntime.GOARCH != "amd64" || goruntime.GOOS != "linux" {
			t.Skipf("cannot run amd64 Linux programs on %s/%s", goruntime.GOOS, goruntime.GOARCH)
		}
		runUntilSIGTERM(t, writePause(t, "amd64"))
	})
	t.Run("arm64", func(t *testing.T) {
		qemu := lookPath("qemu-aarch64", "qemu-aarch64-static")
		if qemu == "" {
			t.Skip("no qemu-aarch64 on PATH")
		}
		runUntilSIGTERM(t, qemu, writePause(t, "arm64"))
	})
}

func writePause(t *testing.T, arch string) string {
	t.Helper()
	b, err := Pause(arch)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pause")
	if err := os.WriteFile(path, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// runUntilSIGTERM starts the command, checks it is alive after 200 ms and that
// SIGTERM then kills it.
func runUntilSIGTERM(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting: %v", err)
	}
	var err error // cmd.Wait's, once done is closed
	done := make(chan struct{})
	go func() { err = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill() // an error means it is gone already
		<-done
	})
	select {
	case <-done:
		t.Fatalf("exited after less than 200 ms: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("sending SIGTERM: %v", err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after SIGTERM")
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("exit: %v, want death by SIGTERM", err)
	}
	if ws := exit.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("exit: %v, want death by SIGTERM", err)
	}
}

func lookPath(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}
