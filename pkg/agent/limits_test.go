package agent

import (
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/state"
)

// TestBadRequestsAnswerOneLineErrors feeds the API malformed JSON, bodies over
// its limits and names it does not know: each is answered with its status and
// one line of JSON that says what was wrong.
func TestBadRequestsAnswerOneLineErrors(t *testing.T) {
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), state.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, _, err := store.CreateApp(state.NewApp{Name: "web"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	h := NewServer(Config{Store: store, Version: "test", Log: slog.New(slog.DiscardHandler)}).Handler()
	name := func(n int) string { return `{"app_name":"` + strings.Repeat("a", n) + `","org_slug":"personal"}` }
	deploy := func(n int) string { return `{"config":"app = 'web'\n# ` + strings.Repeat("x", n) + `"}` }
	tests := []struct {
		name, method, path, body string
		status                   int
		code, msg                string // msg: what the error starts with
	}{
		{"malformed JSON", "POST", "/v1/apps", `{"app_name": "web"`, 400, "invalid", "reading the request body: unexpected EOF"},
		{"not JSON", "POST", "/v1/apps", `app_name=web`, 400, "invalid", "reading the request body: invalid character 'a'"},
		{"wrong type", "POST", "/v1/apps", `{"app_name": 7}`, 400, "invalid", "reading the request body: json: cannot unmarshal number"},
		{"unknown field", "POST", "/v1/apps", `{"name": "web"}`, 400, "invalid", `reading the request body: json: unknown field "name"`},
		{"empty body", "POST", "/v1/apps", ``, 400, "invalid", "reading the request body: it is empty"},
		{"two values", "POST", "/v1/apps", `{"app_name":"a"} {"app_name":"b"}`, 400, "invalid", "reading the request body: more than one JSON value"},
		{"malformed deploy", "POST", "/v1/apps/web/deploy", `{"config": 1}`, 400, "invalid", "reading the request body: json: cannot unmarshal"},
		{"body over 1 MiB", "POST", "/v1/apps", name(maxBody), 413, "too_large", "reading the request body: it is over the limit of 1 MiB"},
		{"deploy over 1 MiB is read", "POST", "/v1/apps/web/deploy", deploy(2 * maxBody), 503, "no_engine", "this hangar agent has no container engine"},
		{"deploy over 8 MiB", "POST", "/v1/apps/web/deploy", deploy(maxDeployBody), 413, "too_large", "reading the request body: it is over the limit of 8 MiB"},
		{"unknown app", "GET", "/v1/apps/nope", "", 404, "app_not_found", "app nope"},
		{"unknown app's machines", "GET", "/v1/apps/nope/machines", "", 404, "app_not_found", ""},
		{"unknown machine", "GET", "/v1/apps/web/machines/nope", "", 404, "machine_not_found", "machine nope not found"},
		{"unknown address", "DELETE", "/v1/apps/web/ips/fdaa::1", "", 404, "ip_not_found", ""},
		{"unknown endpoint", "GET", "/v1/nope", "", 404, "not_found", "this hangar agent has no GET /v1/nope"},
		{"unknown method", "PUT", "/v1/apps/web", "{}", 404, "not_found", "this hangar agent has no PUT /v1/apps/web"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body)))
			body := w.Body.String()
			if w.Code != tt.status {
				t.Errorf("status = %d, want %d (%s)", w.Code, tt.status, body)
			}
			var got api.ErrorBody
			if err := json.Unmarshal([]byte(body), &got); err != nil || strings.Count(body, "\n") != 1 || !strings.HasSuffix(body, "\n") {
				t.Fatalf("body is not one line of JSON: %q (%v)", body, err)
			}
			if got.Code != tt.code || !strings.HasPrefix(got.Error, tt.msg) || got.Error == "" || len(got.Error) > 300 {
				t.Errorf("error = %+v, want code %s and a message starting %q", got, tt.code, tt.msg)
			}
		})
	}
}
