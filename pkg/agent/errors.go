package agent

import (
	"errors"
	"net/http"

	"github.com/hangarhq/hangar/ipalloc"
	"github.com/hangarhq/hangar/launch"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/state"
)

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
	{state.ErrAppExists, http.StatusConflict, "app_exists"},
	{ipalloc.ErrExhausted, http.StatusConflict, "prefix_full"},
	{launch.ErrInvalidName, http.StatusBadRequest, "invalid"},
}

func statusOf(err error) (int, string) {
	var re *requestError
	if errors.As(err, &re) {
		return re.status, re.code
	}
	for _, e := range errorStatuses {
		if errors.Is(err, e.err) {
			return e.status, e.code
		}
	}
	return http.StatusInternalServerError, "internal"
}

func errorBody(err error, code string) api.ErrorBody {
	return api.ErrorBody{Error: err.Error(), Code: code}
}
