package agent

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/secrets"
	"github.com/hangarhq/hangar/pkg/state"
)

const plainValue = "pl41n-s3cr3t-v4lue"

// secretsServer is a Server without an engine over a real store with one app, "web",
// logging into log.
func secretsServer(t *testing.T) (s *Server, log *bytes.Buffer, dir string) {
	dir = t.TempDir()
	store, err := state.Open(filepath.Join(dir, "state.db"), state.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, _, err := store.CreateApp(state.NewApp{Name: "web", PrivateV6: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	log = &bytes.Buffer{}
	s = NewServer(Config{Store: store, Home: dir, Log: slog.New(slog.NewTextHandler(log, nil))})
	return s, log, dir
}

func call(t *testing.T, h http.Handler, method, path string, body any) *httptest.ResponseRecorder {
	t.Helper()
	data, _ := json.Marshal(body)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, path, bytes.NewReader(data)))
	return w
}

func TestSecretsAPIAnswersDigestsNeverValues(t *testing.T) {
	s, log, dir := secretsServer(t)
	h := s.Handler()
	set := call(t, h, "POST", "/v1/apps/web/secrets", api.SetSecretsRequest{Secrets: map[string]string{"DB_PASSWORD": plainValue}})
	if set.Code != http.StatusCreated {
		t.Fatalf("set: %d %s", set.Code, set.Body)
	}
	list := call(t, h, "GET", "/v1/apps/web/secrets", nil)
	var got []api.Secret
	if err := json.Unmarshal(list.Body.Bytes(), &got); err != nil || len(got) != 1 || got[0].Name != "DB_PASSWORD" ||
		got[0].Status != api.SecretStaged || len(got[0].Digest) != 16 {
		t.Fatalf("list = %s (%v)", list.Body, err)
	}
	s.store.Close() // so the whole file is on disk
	db, _ := os.ReadFile(filepath.Join(dir, "state.db"))
	for what, text := range map[string]string{"set": set.Body.String(), "list": list.Body.String(), "log": log.String(), "state.db": string(db)} {
		if strings.Contains(text, plainValue) {
			t.Errorf("the %s holds the value", what)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, secrets.KeyFile)); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, %v", st, err)
	}
}

func TestSetSecretsIsAllOrNothing(t *testing.T) {
	for name, values := range map[string]map[string]string{
		"bad name":  {"GOOD": "1", "1BAD": "2"},
		"too large": {"GOOD": "1", "BIG": strings.Repeat("x", secrets.MaxValue+1)},
	} {
		t.Run(name, func(t *testing.T) {
			s, _, _ := secretsServer(t)
			w := call(t, s.Handler(), "POST", "/v1/apps/web/secrets", api.SetSecretsRequest{Secrets: values})
			if w.Code != http.StatusBadRequest || strings.Contains(w.Body.String(), "xxxx") {
				t.Fatalf("set: %d %s", w.Code, w.Body)
			}
			if recs, _ := s.store.Secrets("web"); len(recs) != 0 {
				t.Fatalf("recorded %d secrets of a refused request", len(recs))
			}
		})
	}
}

func TestMachinesGetOnlyDeployedSecrets(t *testing.T) {
	s, _, dir := secretsServer(t)
	if env, err := s.secretEnv("web"); err != nil || len(env.Env) != 0 {
		t.Fatalf("no secrets: %v, %v", env, err)
	}
	if _, err := os.Stat(filepath.Join(dir, secrets.KeyFile)); err == nil {
		t.Error("a key was made for an app without secrets")
	}
	h := s.Handler()
	call(t, h, "POST", "/v1/apps/web/secrets", api.SetSecretsRequest{Secrets: map[string]string{"A": "1"}})
	if _, err := s.store.DeploySecrets("web"); err != nil {
		t.Fatal(err)
	}
	call(t, h, "POST", "/v1/apps/web/secrets", api.SetSecretsRequest{Secrets: map[string]string{"B": "2"}})
	env, err := s.secretEnv("web")
	if err != nil || len(env.Env) != 1 || env.Env["A"] != "1" || len(env.Digests) != 1 || len(env.Digests["A"]) != 16 {
		t.Fatalf("env = %v, %v; want only the deployed A, and its digest", env, err)
	}
	call(t, h, "POST", "/v1/apps/web/secrets", api.SetSecretsRequest{Unset: []string{"A", "NEVER_SET"}})
	if env, _ := s.secretEnv("web"); len(env.Env) != 0 || len(env.Digests) != 0 {
		t.Fatalf("after unset: %v", env)
	}
}

func TestSecretsOfAnUnknownApp(t *testing.T) {
	s, _, dir := secretsServer(t)
	w := call(t, s.Handler(), "POST", "/v1/apps/ghost/secrets", api.SetSecretsRequest{Secrets: map[string]string{"A": "1"}})
	if w.Code != http.StatusNotFound {
		t.Fatalf("set: %d %s", w.Code, w.Body)
	}
	if _, err := os.Stat(filepath.Join(dir, secrets.KeyFile)); err == nil {
		t.Error("a key was made for an app that does not exist")
	}
}

func TestSecretStatus(t *testing.T) {
	sec := state.Secret{Name: "DB", Digest: "0123456789abcdef"}
	staged := sec
	staged.Staged = true
	has := state.Machine{Secrets: map[string]string{"DB": sec.Digest, "OTHER": "fedcba9876543210"}}
	old := state.Machine{Secrets: map[string]string{"DB": "ffffffffffffffff"}} // made with the value before
	none := state.Machine{Secrets: map[string]string{}}
	legacy := state.Machine{} // recorded before digests were kept
	gone := state.Machine{State: state.MachineDestroyed}
	tests := []struct {
		name     string
		sec      state.Secret
		machines []state.Machine
		want     string
	}{
		{"every machine has it", sec, []state.Machine{has, has}, api.SecretDeployed},
		{"staged again with the value the machines have", staged, []state.Machine{has}, api.SecretDeployed},
		{"no machine has it", staged, []state.Machine{none, old}, api.SecretStaged},
		{"deployed but on no machine yet", sec, []state.Machine{old}, api.SecretStaged},
		{"a roll stopped half-way", sec, []state.Machine{has, old}, api.SecretPartial},
		{"a new machine has it, an old one not", sec, []state.Machine{none, has}, api.SecretPartial},
		{"partial beside a legacy machine", sec, []state.Machine{has, old, legacy}, api.SecretPartial},
		{"a legacy machine leaves it open", sec, []state.Machine{has, legacy}, api.SecretUnknown},
		{"only legacy machines", sec, []state.Machine{legacy}, api.SecretUnknown},
		{"destroyed machines do not count", sec, []state.Machine{has, gone}, api.SecretDeployed},
		{"no machines, staged", staged, nil, api.SecretStaged},
		{"no machines, deployed", sec, nil, api.SecretDeployed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := secretStatus(tt.sec, tt.machines); got != tt.want {
				t.Errorf("status = %s, want %s", got, tt.want)
			}
		})
	}
}
