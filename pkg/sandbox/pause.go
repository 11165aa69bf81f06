package sandbox

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
)

// The program is one segment loaded at the usual base of a static executable.
const (
	baseAddr  = 0x400000
	pageAlign = 0x1000
	ehdrSize  = 64 // sizeof(elf.Header64)
	phdrSize  = 56 // sizeof(elf.Prog64)
	codeOff   = ehdrSize + phdrSize
)

// Pause returns a static Linux ELF executable for goarch that blocks in a
// system call forever, looping if a signal interrupts it. It installs no signal
// handler: run it under an init (ContainerSpec.Init), which forwards SIGTERM to
// it, and a process that is not PID 1 dies of a signal it does not handle.
func Pause(goarch string) ([]byte, error) {
	switch goarch {
	case "amd64":
		return executable(elf.EM_X86_64, amd64Code), nil
	case "arm64":
		return executable(elf.EM_AARCH64, arm64Code()), nil
	}
	return nil, fmt.Errorf("the sandbox supports amd64 and arm64, not %s", goarch)
}

// amd64Code calls pause(2) in a loop; the mov is redone because the call's
// result (-EINTR) lands in eax.
var amd64Code = []byte{
	0xb8, 0x22, 0x00, 0x00, 0x00, // mov eax, 34 (SYS_pause)
	0x0f, 0x05, // syscall
	0xeb, 0xf7, // jmp -9, back to the mov
}

// arm64Code calls ppoll(NULL, 0, NULL, NULL) in a loop, as arm64 has no
// pause(2); the registers are reloaded because the result lands in x0.
func arm64Code() []byte {
	words := []uint32{
		movz(0, 0), movz(1, 0), movz(2, 0), movz(3, 0),
		movz(8, 73), // x8 = 73 (SYS_ppoll)
		0xd4000001,  // svc #0
		branch(-6),  // b back to the first movz
	}
	var code []byte
	for _, w := range words {
		code = binary.LittleEndian.AppendUint32(code, w)
	}
	return code
}

// movz encodes MOVZ Xd, #imm (64-bit, no shift).
func movz(d, imm uint32) uint32 { return 0xd2800000 | imm<<5 | d }

// branch encodes B to an offset counted in instructions from this one.
func branch(instrs int32) uint32 { return 0x14000000 | uint32(instrs)&0x3ffffff }

// executable wraps code in an ELF header and one read-and-execute PT_LOAD
// segment that maps the whole file, headers included; it needs no sections.
func executable(machine elf.Machine, code []byte) []byte {
	size := uint64(codeOff + len(code))
	hdr := elf.Header64{
		Type:      uint16(elf.ET_EXEC),
		Machine:   uint16(machine),
		Version:   uint32(elf.EV_CURRENT),
		Entry:     baseAddr + codeOff,
		Phoff:     ehdrSize,
		Ehsize:    ehdrSize,
		Phentsize: phdrSize,
		Phnum:     1,
	}
	copy(hdr.Ident[:], elf.ELFMAG)
	hdr.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	hdr.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	hdr.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	prog := elf.Prog64{
		Type:   uint32(elf.PT_LOAD),
		Flags:  uint32(elf.PF_R | elf.PF_X),
		Vaddr:  baseAddr,
		Paddr:  baseAddr,
		Filesz: size,
		Memsz:  size,
		Align:  pageAlign,
	}
	var buf bytes.Buffer
	binary.Write(&buf, binary.LittleEndian, hdr) // writes to a bytes.Buffer cannot fail
	binary.Write(&buf, binary.LittleEndian, prog)
	buf.Write(code)
	return buf.Bytes()
}
