package agent

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/launch"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/flycast"
	"github.com/hangarhq/hangar/pkg/machine"
	"github.com/hangarhq/hangar/pkg/proxy"
	"github.com/hangarhq/hangar/pkg/snapshot"
	"github.com/hangarhq/hangar/pkg/state"
)

// errNoFlycast answers `hangar proxy` when the plane did not start.
var errNoFlycast = errors.New("this hangar agent is not serving Flycast (it could not start: see the agent's log), so hangar proxy cannot reach apps")

// requestError is a client mistake the handler found itself.
type requestError struct {
	status int
	code   string
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(msg string) error {
	return &requestError{status: http.StatusBadRequest, code: "invalid", msg: msg}
}

// errorStatuses maps domain sentinels to an HTTP status and a stable code the CLI can match.
var errorStatuses = []struct {
	err    error
	status int
	code   string
}{
	{state.ErrAppNotFound, http.StatusNotFound, "app_not_found"},
	{state.ErrOrgNotFound, http.StatusNotFound, "org_not_found"},
	{state.ErrIPNotFound, http.StatusNotFound, "ip_not_found"},
	{state.ErrMachineNotFound, http.StatusNotFound, "machine_not_found"},
	{state.ErrAppExists, http.StatusConflict, "app_exists"},
	{state.ErrVolumeNotFound, http.StatusNotFound, "volume_not_found"},
	{state.ErrSnapshotNotFound, http.StatusNotFound, "snapshot_not_found"},
	{state.ErrVolumeExists, http.StatusConflict, "volume_exists"},
	{state.ErrVolumeAttached, http.StatusConflict, "volume_attached"},
	{snapshot.ErrCorrupt, http.StatusConflict, "snapshot_corrupt"},
	{machine.ErrNeedsRoot, http.StatusForbidden, "needs_root"},
	{machine.ErrMachineStarted, http.StatusConflict, "machine_started"},
	{ipalloc.ErrExhausted, http.StatusConflict, "prefix_full"},
	{launch.ErrInvalidName, http.StatusBadRequest, "invalid"},
	{errNoEngine, http.StatusServiceUnavailable, "no_engine"},
	// What hangar proxy meets before its connection is upgraded.
	{flycast.ErrBadHost, http.StatusBadRequest, "invalid"},
	{flycast.ErrNoTarget, http.StatusNotFound, "no_target"},
	{flycast.ErrAsleep, http.StatusServiceUnavailable, "asleep"},
	{flycast.ErrUnreachable, http.StatusBadGateway, "unreachable"},
	{proxy.ErrClosed, http.StatusServiceUnavailable, "shutting_down"},
	{errNoFlycast, http.StatusServiceUnavailable, "no_flycast"},
}

func statusOf(err error) (int, string) {
	var re *requestError
	switch {
	case errors.As(err, &re):
		return re.status, re.code
	case state.IsDiskFull(err):
		return http.StatusInsufficientStorage, "disk_full"
	}
	for _, e := range errorStatuses {
		if errors.Is(err, e.err) {
			return e.status, e.code
		}
	}
	return http.StatusInternalServerError, "internal"
}

func errorBody(err error, code string) api.ErrorBody {
	if code == "disk_full" {
		err = fmt.Errorf("the disk that holds hangar's state is full; nothing was changed: free space there and try again (%w)", err)
	}
	return api.ErrorBody{Error: err.Error(), Code: code}
}

// writeError answers with err as {"error": …, "code": …} and its status, and logs it.
// Every handler reports an error this way, the JSON ones through handle and the ones
// that stream or upgrade before they have written anything else.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, code := statusOf(err)
	s.log.Info("request failed", "method", r.Method, "path", r.URL.RequestURI(), "status", status, "error", err)
	writeJSON(w, status, errorBody(err, code))
}
