package main

import (
	"crypto/sha1"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

// special serves the paths the proxy's tests need from a real machine and reports
// whether it answered: /slow?ms=N waits before the page, /crash exits mid-request with
// code 3, /ws holds a WebSocket open until the client closes it.
func special(w http.ResponseWriter, r *http.Request) bool {
	switch r.URL.Path {
	case "/slow":
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		time.Sleep(time.Duration(min(ms, 60000)) * time.Millisecond)
	case "/crash":
		os.Stdout.WriteString("hello: crashing mid-request with code 3\n")
		os.Exit(3)
	case "/ws":
		webSocket(w, r)
		return true
	}
	return false
}

// webSocket accepts the upgrade (RFC 6455's handshake) and then only waits for the
// client to go away: the test needs an open connection, not messages.
func webSocket(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Sec-WebSocket-Key")
	if key == "" || r.Header.Get("Upgrade") != "websocket" {
		http.Error(w, "want a WebSocket upgrade", http.StatusBadRequest)
		return
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n")
	buf.Flush()
	io.Copy(io.Discard, buf)
}
