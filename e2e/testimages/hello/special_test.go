package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestWebSocketHandshake uses the worked example of RFC 6455 section 1.3.
func TestWebSocketHandshake(t *testing.T) {
	srv := httptest.NewServer(handler(io.Discard))
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"))
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 101 || resp.Header.Get("Sec-WebSocket-Accept") != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Errorf("got %d accept %q", resp.StatusCode, resp.Header.Get("Sec-WebSocket-Accept"))
	}
}

func TestSlowAnswersAfterTheWait(t *testing.T) {
	srv := httptest.NewServer(handler(io.Discard))
	defer srv.Close()
	start := time.Now()
	resp, err := http.Get(srv.URL + "/slow?ms=50&format=json")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if time.Since(start) < 50*time.Millisecond || !strings.Contains(string(body), `"uri":"/slow?ms=50\u0026format=json"`) {
		t.Errorf("answered %s after %v", body, time.Since(start))
	}
}
