package docker

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/client"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// engineError is a Docker error reworded for a user: Error is one line, and
// errors.Is sees both the runtime sentinel and Docker's original error.
type engineError struct {
	msg   string
	kind  error
	cause error
}

func (e *engineError) Error() string { return e.msg }

func (e *engineError) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.kind, e.cause} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// rule rewords the Docker errors it matches.
type rule struct {
	kind  error
	match func(err error, msg string) bool
	say   func(host, msg string) string
}

var (
	reNoSuchImage     = regexp.MustCompile(`(?i)no such image: (\S+)`)
	reNoSuchContainer = regexp.MustCompile(`(?i)no such container: (\S+)`)
	reNoSuchNetwork   = regexp.MustCompile(`(?i)network (\S+) not found`)
	reNameInUse       = regexp.MustCompile(`name "/?([^"]+)" is already in use by container "([0-9a-f]{1,12})`)
	reNetworkExists   = regexp.MustCompile(`network with name (\S+) already exists`)
)

// rules are tried in order; the first match wins.
var rules = []rule{
	{runtime.ErrPermissionDenied, has("permission denied while trying to connect to the docker daemon"), func(host, _ string) string {
		return fmt.Sprintf("permission denied on the Docker socket %s: run as root or add your user to the docker group", host)
	}},
	{runtime.ErrEngineUnreachable, connFailed, func(host, _ string) string {
		return fmt.Sprintf("cannot reach the Docker engine at %s: is dockerd running? (set DOCKER_HOST to use another)", host)
	}},
	{runtime.ErrEngineTooOld, has("is too new. maximum supported api version", "requires api version"), func(host, msg string) string {
		return fmt.Sprintf("the Docker engine at %s is too old for Hangar: %s", host, msg)
	}},
	{runtime.ErrSubnetInUse, has("pool overlaps"), func(_, _ string) string {
		return "the network's subnet overlaps another Docker network: remove that network (see docker network ls) or choose another subnet"
	}},
	{runtime.ErrAddressInUse, has("address already in use"), func(_, msg string) string {
		return "address already in use by another container or process: " + msg
	}},
	{runtime.ErrInvalidSpec, has("user specified ip address is supported only"), func(_, _ string) string {
		return "a fixed container address needs a network created with its own subnet"
	}},
	{runtime.ErrImageNotFound, both(isNotFound, matches(reNoSuchImage)), func(_, msg string) string {
		return fmt.Sprintf("image %s is not available locally: build it or load it with docker load", sub(reNoSuchImage, msg))
	}},
	{runtime.ErrNotFound, both(isNotFound, matches(reNoSuchContainer)), func(_, msg string) string {
		return fmt.Sprintf("container %s not found", sub(reNoSuchContainer, msg))
	}},
	{runtime.ErrNotFound, both(isNotFound, matches(reNoSuchNetwork)), func(_, msg string) string {
		return fmt.Sprintf("network %s not found", sub(reNoSuchNetwork, msg))
	}},
	{runtime.ErrNotFound, isNotFound, keep},
	{runtime.ErrConflict, matches(reNameInUse), func(_, msg string) string {
		m := reNameInUse.FindStringSubmatch(msg)
		return fmt.Sprintf("the container name %q is already in use by container %s: remove it or choose another name", m[1], m[2])
	}},
	{runtime.ErrConflict, matches(reNetworkExists), func(_, msg string) string {
		return fmt.Sprintf("a network named %s already exists", sub(reNetworkExists, msg))
	}},
	{runtime.ErrConflict, func(err error, _ string) bool { return cerrdefs.IsConflict(err) }, keep},
}

// translate rewords an error from the Docker client for a user; host is the
// engine's address. Context errors and already translated errors pass through.
func translate(host string, err error) error {
	var done *engineError
	if err == nil || errors.As(err, &done) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	msg := oneLine(err.Error())
	for _, r := range rules {
		if r.match(err, msg) {
			return &engineError{msg: r.say(host, msg), kind: r.kind, cause: err}
		}
	}
	return &engineError{msg: msg, cause: err}
}

// oneLine drops the client's "Error response from daemon" prefix and joins lines.
func oneLine(msg string) string {
	msg = strings.TrimPrefix(msg, "Error response from daemon: ")
	return strings.Join(strings.Fields(msg), " ")
}

func connFailed(err error, msg string) bool {
	return client.IsErrConnectionFailed(err) || strings.Contains(msg, "Cannot connect to the Docker daemon")
}

func isNotFound(err error, _ string) bool { return cerrdefs.IsNotFound(err) }

func has(parts ...string) func(error, string) bool {
	return func(_ error, msg string) bool {
		lower := strings.ToLower(msg)
		for _, p := range parts {
			if strings.Contains(lower, p) {
				return true
			}
		}
		return false
	}
}

func matches(re *regexp.Regexp) func(error, string) bool {
	return func(_ error, msg string) bool { return re.MatchString(msg) }
}

func both(a, b func(error, string) bool) func(error, string) bool {
	return func(err error, msg string) bool { return a(err, msg) && b(err, msg) }
}

func keep(_, msg string) string { return msg }

// sub returns the group re captured in its last match in msg: Docker
// sometimes repeats a message with more detail at the end.
func sub(re *regexp.Regexp, msg string) string {
	all := re.FindAllStringSubmatch(msg, -1)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1][1]
}

// pullRules classify the errors of a pull; say gets the image reference.
var pullRules = []rule{
	{runtime.ErrImageUnavailable, has("manifest unknown", "not found: manifest"), func(ref, _ string) string {
		return fmt.Sprintf("image %s was not found in its registry (manifest unknown): check the name and tag", ref)
	}},
	{runtime.ErrImageUnavailable, has("pull access denied", "repository does not exist", "requested access to the resource is denied", "unauthorized", "authentication required"),
		func(ref, msg string) string {
			return fmt.Sprintf("image %s was not found in its registry or needs docker login: %s", ref, msg)
		}},
	{runtime.ErrRegistryUnreachable, has("no such host", "dial tcp", "i/o timeout", "connection refused", "tls handshake timeout",
		"network is unreachable", "no route to host", "client.timeout exceeded", "connection reset", "server misbehaving"),
		func(ref, msg string) string {
			return fmt.Sprintf("image %s is not available locally and the registry could not be reached: %s; build it or load it with docker load",
				ref, reRequest.ReplaceAllString(msg, ""))
		}},
}

// reRequest matches the request the daemon failed to make, which users need not read.
var reRequest = regexp.MustCompile(`^(?:(?:Get|Head|Post) "?[^" ]*"?: )?(?:dial tcp: )?`)

// translatePull rewords an error from pulling ref, whether the daemon refused
// the request or a registry error arrived in the middle of the stream.
func translatePull(host, ref string, err error) error {
	err = translate(host, err)
	var e *engineError
	if !errors.As(err, &e) || isEngineKind(e.kind) {
		return err
	}
	for _, r := range pullRules {
		if r.match(e.cause, e.msg) {
			return &engineError{msg: r.say(ref, e.msg), kind: r.kind, cause: e.cause}
		}
	}
	return &engineError{msg: fmt.Sprintf("pulling image %s: %s", ref, e.msg), kind: e.kind, cause: e.cause}
}

// isEngineKind reports kinds about the engine itself rather than the request.
func isEngineKind(kind error) bool {
	return kind == runtime.ErrEngineUnreachable || kind == runtime.ErrPermissionDenied || kind == runtime.ErrEngineTooOld
}
