// Package docker implements runtime.Engine on the Docker Engine API; it is the
// only package that imports Docker's client.
package docker

import (
	"context"
	"fmt"

	"github.com/docker/docker/api/types/versions"
	"github.com/docker/docker/client"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// minAPIVersion is Docker 19.03's API: the oldest that both this client and
// github.com/moby/moby/client (a later move) accept.
const minAPIVersion = "1.40"

// Engine talks to one Docker engine.
type Engine struct {
	cli *client.Client
}

var _ runtime.Engine = (*Engine)(nil)

// New returns an Engine for the Docker engine named by DOCKER_HOST and the
// other DOCKER_* variables (the local socket by default). It does not connect:
// the API version is negotiated on the first call, and Info reports it.
func New() (*Engine, error) {
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("configuring the Docker client: %w", err)
	}
	return &Engine{cli: cli}, nil
}

// Close releases the client's idle connections.
func (e *Engine) Close() error { return e.cli.Close() }

// Info reports the engine's versions and the negotiated API version, and
// fails with runtime.ErrEngineTooOld on engines older than Docker 19.03.
func (e *Engine) Info(ctx context.Context) (runtime.Info, error) {
	v, err := e.cli.ServerVersion(ctx)
	if err != nil {
		return runtime.Info{}, e.err(err)
	}
	info := runtime.Info{
		ServerVersion: v.Version,
		APIVersion:    e.cli.ClientVersion(),
		MaxAPIVersion: v.APIVersion,
		MinAPIVersion: v.MinAPIVersion,
		OS:            v.Os,
		Arch:          v.Arch,
		Host:          e.cli.DaemonHost(),
	}
	if versions.LessThan(info.APIVersion, minAPIVersion) {
		return info, &engineError{kind: runtime.ErrEngineTooOld, msg: fmt.Sprintf(
			"the Docker engine at %s (%s) speaks API %s; Hangar needs %s (Docker 19.03) or newer",
			info.Host, info.ServerVersion, info.APIVersion, minAPIVersion)}
	}
	return info, nil
}

// err translates a Docker client error for users.
func (e *Engine) err(err error) error { return translate(e.cli.DaemonHost(), err) }
