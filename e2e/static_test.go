package e2e

import (
	"debug/elf"
	"testing"
)

// TestBinaryIsStatic: the binary built as the README says needs no dynamic loader, so it
// runs on any Linux of its architecture.
func TestBinaryIsStatic(t *testing.T) {
	f, err := elf.Open(hangarBin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Fatal("hangar is dynamically linked (it has an ELF interpreter); build it with CGO_ENABLED=0")
		}
	}
}
