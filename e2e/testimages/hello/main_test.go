package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    config
		wantErr string
	}{
		{name: "defaults", want: config{addr: "[::]:80"}},
		{name: "env", env: map[string]string{"PORT": "8080", "LISTEN": "127.0.0.1", "NO_LISTEN": "1"},
			want: config{addr: "127.0.0.1:8080", noListen: true}},
		{name: "flags win", args: []string{"-port", "81", "-listen", "[::1]"}, env: map[string]string{"PORT": "8080"},
			want: config{addr: "[::1]:81"}},
		{name: "crash later", env: map[string]string{"CRASH": "3", "EXIT_AFTER": "2s"},
			want: config{addr: "[::]:80", exitCode: 3, exitAfter: 2 * time.Second}},
		{name: "bad crash", env: map[string]string{"CRASH": "x"}, wantErr: "CRASH"},
		{name: "bad exit after", env: map[string]string{"EXIT_AFTER": "soon"}, wantErr: "EXIT_AFTER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(tt.args, env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one mentioning %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(config{})); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHandlerJSON(t *testing.T) {
	var log bytes.Buffer
	srv := httptest.NewServer(handler(&log))
	defer srv.Close()
	for _, tt := range []struct{ name, path, accept string }{
		{"query", "/x?format=json", ""},
		{"accept header", "/x", "application/json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+tt.path, nil)
			req.Header.Set("Accept", tt.accept)
			req.Header.Set("X-Forwarded-For", "fdaa::7")
			var p page
			decode(t, req, &p)
			if p.URI != tt.path || p.ForwardedFor != "fdaa::7" || len(p.RequestID) != 32 {
				t.Errorf("page = %+v", p)
			}
			if p.ServerAddress != srv.Listener.Addr().String() {
				t.Errorf("server address = %q, want %q", p.ServerAddress, srv.Listener.Addr())
			}
		})
	}
	if !strings.Contains(log.String(), "GET /x?format=json") {
		t.Errorf("log = %q, want a line per request", log.String())
	}
}

func TestHandlerHTML(t *testing.T) {
	srv := httptest.NewServer(handler(io.Discard))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/hi?<b>")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{"Server&nbsp;address:", srv.Listener.Addr().String(), "/hi?&lt;b&gt;", "text/html"} {
		if !strings.Contains(string(body)+resp.Header.Get("Content-Type"), want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
}

func decode(t *testing.T, req *http.Request, v any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func TestRunExits(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want int
	}{
		{"crash at once", map[string]string{"CRASH": "3"}, 3},
		{"crash later", map[string]string{"CRASH": "4", "EXIT_AFTER": "10ms", "PORT": "0", "LISTEN": "127.0.0.1"}, 4},
		{"exit later", map[string]string{"EXIT_AFTER": "10ms", "NO_LISTEN": "1"}, 0},
		{"bad port", map[string]string{"PORT": "x"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := run(nil, env(tt.env), io.Discard); got != tt.want {
				t.Errorf("exit code = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestServeStopsOnSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int)
	go func() { done <- serve(ctx, config{addr: "127.0.0.1:0"}, &out) }()
	waitFor(t, func() bool { return strings.Contains(out.String(), "listening on") })
	addr := strings.TrimSpace(strings.TrimPrefix(out.String(), "hello: listening on "))
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dialing %s: %v", addr, err)
	}
	conn.Close()
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit code after signal = %d, want 0", code)
	}
}
