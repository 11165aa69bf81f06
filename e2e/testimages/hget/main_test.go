package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.Error(w, "gone", http.StatusNotFound)
			return
		}
		fmt.Fprintf(w, "host=%s x=%s", r.Host, r.Header.Get("X-Test"))
	}))
	defer srv.Close()
	dead := "http://127.0.0.1:1/"

	tests := []struct {
		name             string
		args             []string
		code             int
		stdout, inStderr string
	}{
		{"body", []string{"-H", "X-Test: 1", "-H", "Host: app.flycast", srv.URL}, 0, "host=app.flycast x=1", ""},
		{"not found", []string{srv.URL + "/missing"}, 1, "gone\n", "404 Not Found"},
		{"silent", []string{"-s", srv.URL + "/missing"}, 1, "gone\n", ""},
		{"refused", []string{"-t", "2s", dead}, 1, "", "connection refused"},
		{"no url", nil, 2, "", "usage: hget"},
		{"bad header", []string{"-H", "nocolon", srv.URL}, 1, "", "want 'Name: value'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.code || stdout.String() != tt.stdout {
				t.Errorf("run = %d, stdout %q; want %d, %q (stderr %q)", code, stdout.String(), tt.code, tt.stdout, stderr.String())
			}
			if tt.inStderr == "" && stderr.Len() > 0 || !strings.Contains(stderr.String(), tt.inStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tt.inStderr)
			}
		})
	}
}

func TestRunOutputFile(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "saved") }))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "body")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-o", path, srv.URL}, &stdout, &stderr); code != 0 || stdout.Len() != 0 {
		t.Fatalf("run = %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != "saved" {
		t.Errorf("file = %q, %v; want %q", got, err, "saved")
	}
}

// TestRunFirstByteTime: -w prints one ttfb_us line, even with -s and on a 404, and the
// figure covers the server's wait before its first byte.
func TestRunFirstByteTime(t *testing.T) {
	const wait = 20 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(wait)
		if r.URL.Path == "/missing" {
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	line := regexp.MustCompile(`^ttfb_us=(\d+)\n$`)
	for name, want := range map[string]struct {
		args []string
		code int
	}{
		"ok":          {[]string{"-w", "-o", os.DevNull, srv.URL}, 0},
		"silent, 404": {[]string{"-w", "-s", srv.URL + "/missing"}, 1},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(want.args, &stdout, &stderr)
			m := line.FindStringSubmatch(stderr.String())
			if code != want.code || m == nil {
				t.Fatalf("run = %d, stderr %q; want %d and one line ttfb_us=N", code, stderr.String(), want.code)
			}
			if us, _ := strconv.Atoi(m[1]); time.Duration(us)*time.Microsecond < wait {
				t.Errorf("ttfb_us=%d, less than the server's %v wait", us, wait)
			}
		})
	}
}
