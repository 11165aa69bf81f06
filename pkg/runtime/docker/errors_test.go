package docker

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/docker/docker/client"

	"github.com/hangarhq/hangar/pkg/runtime"
)

const sock = "unix:///var/run/docker.sock"

func TestTranslateDaemonErrors(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		msg     string
		want    error
		wantMsg string
	}{
		{"no such container", 404, "No such container: abc", runtime.ErrNotFound, "container abc not found"},
		{"no such image", 404, "No such image: nginxdemos/hello:latest", runtime.ErrImageNotFound,
			"image nginxdemos/hello:latest is not available locally: build it or load it with docker load"},
		{"no such image, inspect", 404, "no such image: nope: No such image: nope:latest", runtime.ErrImageNotFound,
			"image nope:latest is not available locally: build it or load it with docker load"},
		{"no such network", 404, "network hangar-org not found", runtime.ErrNotFound, "network hangar-org not found"},
		{"other not found", 404, "page not found", runtime.ErrNotFound, "page not found"},
		{"name in use", 409, `Conflict. The container name "/web-1" is already in use by container "0123456789abcdef0123". ` +
			"You have to remove (or rename) that container to be able to reuse that name.", runtime.ErrConflict,
			`the container name "web-1" is already in use by container 0123456789ab: remove it or choose another name`},
		{"network exists", 409, "network with name hangar-org already exists", runtime.ErrConflict,
			"a network named hangar-org already exists"},
		{"not paused", 409, "Container abc is not paused", runtime.ErrConflict, "Container abc is not paused"},
		{"pool overlaps", 403, "Pool overlaps with other one on this address space", runtime.ErrSubnetInUse,
			"the network's subnet overlaps another Docker network: remove that network (see docker network ls) or choose another subnet"},
		{"address in use", 500, "Address already in use", runtime.ErrAddressInUse,
			"address already in use by another container or process: Address already in use"},
		{"fixed ip on default network", 400, "user specified IP address is supported only when connecting to networks with user configured subnets",
			runtime.ErrInvalidSpec, "a fixed container address needs a network created with its own subnet"},
		{"client too new", 400, "client version 1.51 is too new. Maximum supported API version is 1.41", runtime.ErrEngineTooOld,
			"the Docker engine at " + sock + " is too old for Hangar: client version 1.51 is too new. Maximum supported API version is 1.41"},
		{"unknown, two lines", 500, "something odd\nhappened", nil, "something odd happened"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := fakeDaemon(t, failing(tt.status, tt.msg))
			_, err := e.cli.ContainerInspect(context.Background(), "abc")
			got := translate(sock, err)
			checkError(t, got, tt.want, tt.wantMsg)
			if !errors.Is(got, err) {
				t.Errorf("translated error does not wrap Docker's")
			}
		})
	}
}

func checkError(t *testing.T, got, want error, wantMsg string) {
	t.Helper()
	if got == nil || got.Error() != wantMsg {
		t.Errorf("message = %q\n          want %q", got, wantMsg)
	}
	if want != nil && !errors.Is(got, want) {
		t.Errorf("errors.Is(%v, %v) = false", got, want)
	}
}

func TestTranslateConnectionErrors(t *testing.T) {
	host := "unix:///nonexistent/docker.sock"
	cli, err := client.NewClientWithOpts(client.WithHost(host), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	_, err = cli.ServerVersion(context.Background())
	checkError(t, translate(host, err), runtime.ErrEngineUnreachable,
		"cannot reach the Docker engine at "+host+": is dockerd running? (set DOCKER_HOST to use another)")

	denied := errors.New("permission denied while trying to connect to the Docker daemon socket at " + sock +
		`: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.41/_ping": dial unix /var/run/docker.sock: connect: permission denied`)
	checkError(t, translate(sock, denied), runtime.ErrPermissionDenied,
		"permission denied on the Docker socket "+sock+": run as root or add your user to the docker group")
}

func TestTranslatePassesThrough(t *testing.T) {
	for _, err := range []error{nil, context.Canceled, context.DeadlineExceeded} {
		if got := translate(sock, err); got != err {
			t.Errorf("translate(%v) = %v, want it unchanged", err, got)
		}
	}
	once := translate(sock, errors.New("Error response from daemon: x"))
	if twice := translate(sock, once); twice != once || once.Error() != "x" {
		t.Errorf("translating twice: %q then %q", once, twice)
	}
}

func TestTranslatePull(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		want    error
		wantMsg string
	}{
		{"registry unreachable", &streamError{`Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host`},
			runtime.ErrRegistryUnreachable, "image nginxdemos/hello is not available locally and the registry could not be reached: " +
				"lookup registry-1.docker.io on 10.255.255.53:53: no such host; build it or load it with docker load"},
		{"tls timeout mid-stream", &streamError{"net/http: TLS handshake timeout"}, runtime.ErrRegistryUnreachable,
			"image nginxdemos/hello is not available locally and the registry could not be reached: net/http: TLS handshake timeout; build it or load it with docker load"},
		{"manifest unknown", &streamError{"manifest for nginxdemos/hello:latest not found: manifest unknown: manifest unknown"},
			runtime.ErrImageUnavailable, "image nginxdemos/hello was not found in its registry (manifest unknown): check the name and tag"},
		{"access denied", &streamError{"pull access denied for nginxdemos/hello, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"},
			runtime.ErrImageUnavailable, "image nginxdemos/hello was not found in its registry or needs docker login: pull access denied for nginxdemos/hello, " +
				"repository does not exist or may require 'docker login': denied: requested access to the resource is denied"},
		{"other", &streamError{"unexpected EOF"}, nil, "pulling image nginxdemos/hello: unexpected EOF"},
		{"engine down", errors.New("Cannot connect to the Docker daemon at " + sock + ". Is the docker daemon running?"),
			runtime.ErrEngineUnreachable, "cannot reach the Docker engine at " + sock + ": is dockerd running? (set DOCKER_HOST to use another)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkError(t, translatePull(sock, "nginxdemos/hello", tt.err), tt.want, tt.wantMsg)
		})
	}
}

func TestPullImageStream(t *testing.T) {
	e := fakeDaemon(t, streaming(
		`{"status":"Pulling from nginxdemos/hello","id":"latest"}`,
		`{"status":"Downloading","progressDetail":{"current":10,"total":100},"id":"abc123"}`,
		`{"errorDetail":{"message":"received unexpected HTTP status: 503 Service Unavailable"},"error":"received unexpected HTTP status: 503 Service Unavailable"}`,
		`{"status":"never read"}`,
	))
	var got []runtime.Progress
	err := e.PullImage(context.Background(), "nginxdemos/hello", func(p runtime.Progress) { got = append(got, p) })
	want := "pulling image nginxdemos/hello: received unexpected HTTP status: 503 Service Unavailable"
	if err == nil || err.Error() != want {
		t.Errorf("pull error = %v, want %q", err, want)
	}
	if len(got) != 2 || got[1] != (runtime.Progress{Layer: "abc123", Status: "Downloading", Current: 10, Total: 100}) {
		t.Errorf("progress = %+v", got)
	}
}

func TestPullImageRefused(t *testing.T) {
	e := fakeDaemon(t, failing(http.StatusNotFound, "pull access denied for x, repository does not exist or may require 'docker login'"))
	err := e.PullImage(context.Background(), "x", nil)
	if !errors.Is(err, runtime.ErrImageUnavailable) {
		t.Errorf("pull error = %v, want ErrImageUnavailable", err)
	}
}
