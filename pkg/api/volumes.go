package api

import (
	"context"
	"net/http"
	"time"
)

// Volume is one volume of an app, with Fly's Machines API keys.
type Volume struct {
	ID                 string    `json:"id"`
	Name               string    `json:"name"`
	App                string    `json:"app"`
	State              string    `json:"state"`
	SizeGB             int       `json:"size_gb"`
	Region             string    `json:"region"`
	Zone               string    `json:"zone"`
	Encrypted          bool      `json:"encrypted"`
	AttachedMachineID  string    `json:"attached_machine_id,omitempty"`
	SnapshotRetention  int       `json:"snapshot_retention"`
	ScheduledSnapshots bool      `json:"auto_backup_enabled"`
	CreatedAt          time.Time `json:"created_at"`
	// SizeEnforced is false on Docker's local driver: SizeGB is recorded, not a limit.
	SizeEnforced bool `json:"size_enforced"`
}

// CreateVolumeRequest is POST /v1/apps/{app}/volumes.
type CreateVolumeRequest struct {
	Name              string `json:"name"`
	SizeGB            int    `json:"size_gb"`
	Region            string `json:"region"`
	SnapshotRetention int    `json:"snapshot_retention"`
	SnapshotID        string `json:"snapshot_id,omitempty"` // restore this snapshot into it
	ID                string `json:"id,omitempty"`          // a chosen ID (tests, imports); new when empty
}

// ExtendVolumeRequest is PUT /v1/apps/{app}/volumes/{id}/extend.
type ExtendVolumeRequest struct {
	SizeGB int `json:"size_gb"`
}

// VolumeSnapshot is one snapshot of a volume.
type VolumeSnapshot struct {
	ID        string    `json:"id"`
	Volume    string    `json:"volume_id"`
	Size      int64     `json:"size"` // bytes of the compressed archive
	Digest    string    `json:"digest"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// ListVolumes lists an app's volumes.
func (c *Client) ListVolumes(ctx context.Context, app string) ([]Volume, error) {
	var vs []Volume
	return vs, c.do(ctx, http.MethodGet, appPath(app, "volumes"), nil, &vs)
}

// GetVolume returns one volume.
func (c *Client) GetVolume(ctx context.Context, app, id string) (Volume, error) {
	var v Volume
	return v, c.do(ctx, http.MethodGet, appPath(app, "volumes", id), nil, &v)
}

// CreateVolume creates a volume, empty or restored from a snapshot.
func (c *Client) CreateVolume(ctx context.Context, app string, req CreateVolumeRequest) (Volume, error) {
	var v Volume
	return v, c.do(ctx, http.MethodPost, appPath(app, "volumes"), req, &v)
}

// ExtendVolume records a larger size.
func (c *Client) ExtendVolume(ctx context.Context, app, id string, sizeGB int) (Volume, error) {
	var v Volume
	return v, c.do(ctx, http.MethodPut, appPath(app, "volumes", id, "extend"), ExtendVolumeRequest{SizeGB: sizeGB}, &v)
}

// DestroyVolume removes an unattached volume and its files.
func (c *Client) DestroyVolume(ctx context.Context, app, id string) (Volume, error) {
	var v Volume
	return v, c.do(ctx, http.MethodDelete, appPath(app, "volumes", id), nil, &v)
}

// ListVolumeSnapshots lists a volume's snapshots.
func (c *Client) ListVolumeSnapshots(ctx context.Context, app, id string) ([]VolumeSnapshot, error) {
	var out []VolumeSnapshot
	return out, c.do(ctx, http.MethodGet, appPath(app, "volumes", id, "snapshots"), nil, &out)
}

// CreateVolumeSnapshot takes a snapshot now, pausing the machine for the copy.
func (c *Client) CreateVolumeSnapshot(ctx context.Context, app, id string) (VolumeSnapshot, error) {
	var s VolumeSnapshot
	return s, c.do(ctx, http.MethodPost, appPath(app, "volumes", id, "snapshots"), nil, &s)
}
