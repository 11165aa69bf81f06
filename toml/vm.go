package toml

import "slices"

// VM is one [[vm]] entry (legacy [vm], [compute], [[compute]] and
// [computes] are merged into it). An entry without processes applies to
// every process group.
type VM struct {
	Size             string   `toml:"size,omitempty" json:"size,omitempty"`
	Memory           string   `toml:"memory,omitempty" json:"memory,omitempty"`
	CPUKind          string   `toml:"cpu_kind,omitempty" json:"cpu_kind,omitempty"`
	CPUs             int      `toml:"cpus,omitempty" json:"cpus,omitempty"`
	MemoryMB         int      `toml:"memory_mb,omitempty" json:"memory_mb,omitempty"`
	MaxMemoryMB      int      `toml:"max_memory_mb,omitempty" json:"max_memory_mb,omitempty"`
	GPUs             int      `toml:"gpus,omitempty" json:"gpus,omitempty"`
	GPUKind          string   `toml:"gpu_kind,omitempty" json:"gpu_kind,omitempty"`
	HostDedicationID string   `toml:"host_dedication_id,omitempty" json:"host_dedication_id,omitempty"`
	PersistRootfs    string   `toml:"persist_rootfs,omitempty" json:"persist_rootfs,omitempty"`
	KernelArgs       []string `toml:"kernel_args,omitempty" json:"kernel_args,omitempty"`
	Processes        []string `toml:"processes,omitempty" json:"processes,omitempty"`

	Extra map[string]any `toml:"-" json:"-"`
}

// Guest is the machine size a process group resolves to.
type Guest struct {
	CPUKind          string   `json:"cpu_kind"`
	CPUs             int      `json:"cpus"`
	MemoryMB         int      `json:"memory_mb"`
	MaxMemoryMB      int      `json:"max_memory_mb,omitempty"`
	GPUs             int      `json:"gpus,omitempty"`
	GPUKind          string   `json:"gpu_kind,omitempty"`
	HostDedicationID string   `json:"host_dedication_id,omitempty"`
	PersistRootfs    string   `json:"persist_rootfs,omitempty"`
	KernelArgs       []string `json:"kernel_args,omitempty"`
}

// DefaultVMSize is the preset used when a [[vm]] names no size.
const DefaultVMSize = "shared-cpu-1x"

// defaultGPUVMSize is the preset for a [[vm]] with a gpu_kind but no size.
const defaultGPUVMSize = "performance-8x"

// vmPresets are the machine sizes a [[vm]] size may name.
var vmPresets = map[string]Guest{
	"shared-cpu-1x":   {CPUKind: "shared", CPUs: 1, MemoryMB: 256},
	"shared-cpu-2x":   {CPUKind: "shared", CPUs: 2, MemoryMB: 512},
	"shared-cpu-4x":   {CPUKind: "shared", CPUs: 4, MemoryMB: 1024},
	"shared-cpu-8x":   {CPUKind: "shared", CPUs: 8, MemoryMB: 2048},
	"performance-1x":  {CPUKind: "performance", CPUs: 1, MemoryMB: 2048},
	"performance-2x":  {CPUKind: "performance", CPUs: 2, MemoryMB: 4096},
	"performance-4x":  {CPUKind: "performance", CPUs: 4, MemoryMB: 8192},
	"performance-8x":  {CPUKind: "performance", CPUs: 8, MemoryMB: 16384},
	"performance-16x": {CPUKind: "performance", CPUs: 16, MemoryMB: 32768},
	"a10":             {CPUKind: "performance", CPUs: 8, MemoryMB: 32768, GPUs: 1, GPUKind: "a10"},
	"a100-40gb":       {CPUKind: "performance", CPUs: 8, MemoryMB: 32768, GPUs: 1, GPUKind: "a100-pcie-40gb"},
	"a100-80gb":       {CPUKind: "performance", CPUs: 8, MemoryMB: 32768, GPUs: 1, GPUKind: "a100-sxm4-80gb"},
	"l40s":            {CPUKind: "performance", CPUs: 8, MemoryMB: 32768, GPUs: 1, GPUKind: "l40s"},
}

// MachineGuest resolves the machine size of a process group as flyctl
// does: the first [[vm]] for the group gives a size preset (default
// shared-cpu-1x), then memory overrides its MB, then any inline field set
// (cpu_kind, cpus, memory_mb, ...) overrides that. Without a [[vm]] for the
// group it is the default preset. Values Validate rejects are skipped.
func (c *Config) MachineGuest(group string) Guest {
	g := vmPresets[DefaultVMSize]
	g.HostDedicationID = c.HostDedicationID
	if vm := c.vmFor(group); vm != nil {
		g = vm.guest(c.HostDedicationID)
	}
	return g
}

// vmFor is the group's [[vm]]: the one naming it, else one without processes,
// whatever their order (flyctl's ComputeForGroup).
func (c *Config) vmFor(group string) *VM {
	var global *VM
	for i, vm := range c.VMs {
		switch {
		case slices.Contains(vm.Processes, group):
			return &c.VMs[i]
		case len(vm.Processes) == 0 && global == nil:
			global = &c.VMs[i]
		}
	}
	return global
}

func (vm VM) guest(hostDedicationID string) Guest {
	size := DefaultVMSize
	switch {
	case vm.Size != "":
		size = vm.Size
	case vm.GPUKind != "":
		size = defaultGPUVMSize
	}
	g, ok := vmPresets[size]
	if !ok {
		g = vmPresets[DefaultVMSize]
	}
	g.HostDedicationID = hostDedicationID
	if mb, err := parseMemoryMB(vm.Memory); err == nil && mb > 0 {
		g.MemoryMB = mb
	}
	vm.overlay(&g)
	return g
}

// overlay copies the inline guest fields that are set onto g.
func (vm VM) overlay(g *Guest) {
	setIf(&g.CPUKind, vm.CPUKind)
	setIf(&g.CPUs, vm.CPUs)
	setIf(&g.MemoryMB, vm.MemoryMB)
	setIf(&g.MaxMemoryMB, vm.MaxMemoryMB)
	setIf(&g.GPUs, vm.GPUs)
	setIf(&g.GPUKind, vm.GPUKind)
	setIf(&g.HostDedicationID, vm.HostDedicationID)
	setIf(&g.PersistRootfs, vm.PersistRootfs)
	if len(vm.KernelArgs) > 0 {
		g.KernelArgs = slices.Clone(vm.KernelArgs)
	}
}

func setIf[T comparable](dst *T, v T) {
	var zero T
	if v != zero {
		*dst = v
	}
}
