package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// page is what hello reports about a request.
type page struct {
	ServerName    string `json:"server_name"`
	ServerAddress string `json:"server_address"`
	RemoteAddress string `json:"remote_address"`
	URI           string `json:"uri"`
	Date          string `json:"date"`
	RequestID     string `json:"request_id"`
	ForwardedFor  string `json:"x_forwarded_for"`
}

var tmpl = template.Must(template.New("hello").Parse(`<!DOCTYPE html>
<html><head><title>Hello World</title></head>
<body>
<p><span>Server&nbsp;address:</span> <span id="server_address">{{.ServerAddress}}</span></p>
<p><span>Server&nbsp;name:</span> <span id="server_name">{{.ServerName}}</span></p>
<p><span>Date:</span> <span id="date">{{.Date}}</span></p>
<p><span>URI:</span> <span id="uri">{{.URI}}</span></p>
<p><span>Client&nbsp;address:</span> <span id="remote_address">{{.RemoteAddress}}</span></p>
<p><span>X-Forwarded-For:</span> <span id="x_forwarded_for">{{.ForwardedFor}}</span></p>
<p><span>Request&nbsp;ID:</span> <span id="request_id">{{.RequestID}}</span></p>
</body></html>
`))

// handler answers every path with the page, logging one line per request.
func handler(log io.Writer) http.Handler {
	var mu sync.Mutex // serializes log lines
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := describe(r)
		mu.Lock()
		fmt.Fprintf(log, "%s %s %s %s\n", p.RemoteAddress, r.Method, p.URI, p.RequestID)
		mu.Unlock()
		if special(w, r) {
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		if wantsJSON(r) {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(p)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		tmpl.Execute(w, p)
	})
}

func describe(r *http.Request) page {
	host, _ := os.Hostname()
	p := page{
		ServerName:    host,
		RemoteAddress: r.RemoteAddr,
		URI:           r.RequestURI,
		Date:          time.Now().Format("02/Jan/2006:15:04:05 -0700"),
		RequestID:     requestID(),
		ForwardedFor:  r.Header.Get("X-Forwarded-For"),
	}
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		p.ServerAddress = a.String()
	}
	return p
}

func wantsJSON(r *http.Request) bool {
	return r.URL.Query().Get("format") == "json" || strings.Contains(r.Header.Get("Accept"), "application/json")
}

// requestID is 32 hex digits, like nginx's $request_id.
func requestID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
