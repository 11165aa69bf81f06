package api

import (
	"context"
	"net/http"
)

// ScaleRequest is POST /v1/apps/{app}/scale/plan and /scale: machine counts by group
// ("" is the app's only group), or changes to them in Relative.
type ScaleRequest struct {
	Counts   map[string]int `json:"counts"`
	Relative map[string]int `json:"relative,omitempty"`
	// Regions to act on: those of the app's machines when empty.
	Regions []string `json:"regions,omitempty"`
	// MaxPerRegion caps a group's machines per region; nil: no cap.
	MaxPerRegion   *int `json:"max_per_region,omitempty"`
	WithNewVolumes bool `json:"with_new_volumes,omitempty"`
}

// ScaleStep is one line of a scale plan.
type ScaleStep struct {
	Group  string `json:"group"`
	Region string `json:"region"`
	Size   string `json:"size"`
	Delta  int    `json:"delta"`
}

// ScalePlan is what a scale would do; no steps means nothing to do.
type ScalePlan struct {
	Steps []ScaleStep `json:"steps"`
}

// ScaledMachine is a machine scale memory resized.
type ScaledMachine struct {
	ID     string `json:"id"`
	Group  string `json:"group"`
	Region string `json:"region"`
	Size   string `json:"size"`
}

// ScaleResult is what scale memory did.
type ScaleResult struct {
	Machines []ScaledMachine `json:"machines"`
}

// ScaleGroup is one process group in GET /v1/apps/{app}/scale.
type ScaleGroup struct {
	Name     string         `json:"name"`
	Count    int            `json:"count"`
	CPUKind  string         `json:"cpu_kind"`
	CPUs     int            `json:"cpus"`
	MemoryMB int            `json:"memory_mb"`
	Regions  map[string]int `json:"regions"`
}

// ScaleMemoryRequest is POST /v1/apps/{app}/scale/memory.
type ScaleMemoryRequest struct {
	MemoryMB int `json:"memory_mb"`
}

// PlanScale asks what a scale would do, changing nothing.
func (c *Client) PlanScale(ctx context.Context, app string, req ScaleRequest) (ScalePlan, error) {
	var out ScalePlan
	return out, c.do(ctx, http.MethodPost, appPath(app, "scale", "plan"), req, &out)
}

// Scale creates and destroys machines to reach the counts, calling progress with a
// "machine" event for each as it is made or destroyed, and the volumes it makes.
func (c *Client) Scale(ctx context.Context, app string, req ScaleRequest, progress func(DeployEvent)) error {
	_, err := c.postEvents(ctx, appPath(app, "scale"), req, progress)
	return err
}

// ShowScale lists the app's process groups with their machines' size and regions.
func (c *Client) ShowScale(ctx context.Context, app string) ([]ScaleGroup, error) {
	var out []ScaleGroup
	return out, c.do(ctx, http.MethodGet, appPath(app, "scale"), nil, &out)
}

// ScaleMemory gives every machine of the app memory_mb, one at a time.
func (c *Client) ScaleMemory(ctx context.Context, app string, memoryMB int) (ScaleResult, error) {
	var out ScaleResult
	return out, c.do(ctx, http.MethodPost, appPath(app, "scale", "memory"), ScaleMemoryRequest{MemoryMB: memoryMB}, &out)
}
