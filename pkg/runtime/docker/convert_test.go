package docker

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/hangarhq/hangar/pkg/runtime"
)

// The files in testdata are answers from Docker 20.10.24 (API 1.41): a
// container on an IPv6 network with a fixed address and a published port,
// before and after start, and one that crashed with exit code 3.

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	webID   = "23c34f2087470d76972aba5fa8c536adb0b0bbfe4c0a5c83a28e8e9f5cc12b0e"
	crashID = "d644371a2576577e74ffeb8775f1016fa08b82b32bc47235f8c6754370ad6e50"
)

var (
	webAddr   = netip.MustParseAddr("fdaa:0:2a:a7b::2")
	webLabels = map[string]string{"hangar.app": "web", "hangar.fixture": "1", "hangar.test": "true"}
)

func TestFromInspect(t *testing.T) {
	created := mustTime("2026-11-24T04:40:07.39580895Z")
	tests := []struct {
		file string
		want runtime.Container
	}{
		{"inspect-created.json", runtime.Container{ID: webID, Name: "hangar-fixture-web", Image: "hangar-fixture-hello:1",
			State: runtime.StateCreated, CreatedAt: created, Labels: webLabels, Network: "hangar-fixture-net", IPv6Address: webAddr}},
		{"inspect-running.json", runtime.Container{ID: webID, Name: "hangar-fixture-web", Image: "hangar-fixture-hello:1",
			State: runtime.StateRunning, CreatedAt: created, StartedAt: mustTime("2026-11-24T04:40:08.470226577Z"),
			Labels: webLabels, Network: "hangar-fixture-net", IPv6Address: webAddr, IPv4Address: netip.MustParseAddr("172.26.0.2"), HostPort: 32770}},
		{"inspect-crashed.json", runtime.Container{ID: crashID, Name: "hangar-fixture-crash", Image: "hangar-fixture-hello:1",
			State: runtime.StateExited, ExitCode: 3, CreatedAt: mustTime("2026-11-24T04:40:09.024629136Z"),
			StartedAt: mustTime("2026-11-24T04:40:09.279158395Z"), FinishedAt: mustTime("2026-11-24T04:40:09.291973111Z"),
			Labels: map[string]string{"hangar.fixture": "1", "hangar.test": "true"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var resp container.InspectResponse
			readJSON(t, tt.file, &resp)
			check(t, "container", tt.want, fromInspect(resp))
		})
	}
}

func TestFromSummary(t *testing.T) {
	var list []container.Summary
	readJSON(t, "list.json", &list)
	var got []runtime.Container
	for _, s := range list {
		got = append(got, fromSummary(s))
	}
	want := []runtime.Container{
		{ID: crashID, Name: "hangar-fixture-crash", Image: "hangar-fixture-hello:1", State: runtime.StateExited, ExitCode: 3,
			CreatedAt: time.Unix(1795495209, 0), Labels: map[string]string{"hangar.fixture": "1", "hangar.test": "true"}},
		{ID: webID, Name: "hangar-fixture-web", Image: "hangar-fixture-hello:1", State: runtime.StateRunning,
			CreatedAt: time.Unix(1795495207, 0), Labels: webLabels, Network: "hangar-fixture-net", IPv6Address: webAddr, HostPort: 32770},
	}
	check(t, "list", want, got)
}

func TestEventsStream(t *testing.T) {
	e := fakeDaemon(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := os.ReadFile(filepath.Join("testdata", "events.ndjson"))
		w.Write(b)
	})
	events, errs := e.Events(context.Background(), map[string]string{"hangar.fixture": "1"}, time.Unix(1, 0))
	var got []runtime.Event
	for ev := range events {
		got = append(got, ev)
	}
	if err := <-errs; !errors.Is(err, io.EOF) {
		t.Errorf("end of stream: %v, want an error wrapping io.EOF", err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d events, want 4", len(got))
	}
	want := runtime.Event{Action: runtime.ActionDie, ContainerID: crashID, Name: "hangar-fixture-crash", Image: "hangar-fixture-hello:1",
		ExitCode: 3, Labels: map[string]string{"hangar.fixture": "1", "hangar.test": "true"}, Time: time.Unix(0, 1795495209315432705)}
	check(t, "die event", want, got[3])
}

func TestEventsCancel(t *testing.T) {
	e := fakeDaemon(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	events, errs := e.Events(ctx, nil, time.Time{})
	cancel()
	for range events {
	}
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: %v, want context.Canceled", err)
	}
}

func TestBuildImageStream(t *testing.T) {
	e := fakeDaemon(t, streaming(
		`{"stream":"Step 1/2 : FROM scratch\n"}`,
		`{"stream":"Step 2/2 : COPY hello /hello\n"}`,
		`{"aux":{"ID":"sha256:784c4468b767"}}`,
		`{"stream":"Successfully built 784c4468b767\n"}`,
	))
	var out strings.Builder
	id, err := e.BuildImage(context.Background(), runtime.BuildSpec{Context: strings.NewReader("")}, &out)
	if err != nil || id != "sha256:784c4468b767" {
		t.Errorf("BuildImage = %q, %v", id, err)
	}
	if want := "Step 1/2 : FROM scratch\nStep 2/2 : COPY hello /hello\nSuccessfully built 784c4468b767\n"; out.String() != want {
		t.Errorf("output = %q, want %q", out.String(), want)
	}
}

func TestBuildImageFails(t *testing.T) {
	e := fakeDaemon(t, streaming(
		`{"stream":"Step 1/2 : FROM scratch\n"}`,
		`{"errorDetail":{"message":"COPY failed: file not found in build context or excluded by .dockerignore: stat hello: file does not exist"}}`,
	))
	_, err := e.BuildImage(context.Background(), runtime.BuildSpec{Context: strings.NewReader("")}, nil)
	want := "building image: COPY failed: file not found in build context or excluded by .dockerignore: stat hello: file does not exist"
	if !errors.Is(err, runtime.ErrBuildFailed) || err.Error() != want {
		t.Errorf("error = %v, want ErrBuildFailed: %s", err, want)
	}
}

func TestExitCodeFromStatus(t *testing.T) {
	for status, want := range map[string]int{"Exited (137) 5 minutes ago": 137, "Exited (0) 1 second ago": 0, "Up 2 seconds": 0, "Created": 0} {
		if got := exitCodeFromStatus(status); got != want {
			t.Errorf("exitCodeFromStatus(%q) = %d, want %d", status, got, want)
		}
	}
}
