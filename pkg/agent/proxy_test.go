package agent

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/home"
	"github.com/hangarhq/hangar/pkg/state"
)

// serveWithoutEngine runs an agent with no container engine (so no Flycast plane) on a
// socket of its own, and returns its client.
func serveWithoutEngine(t *testing.T) *api.Client {
	dir := shortDir(t)
	store, err := state.Open(home.Database(dir), state.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(Config{Store: store, Home: dir, Version: "test", Log: slog.New(slog.DiscardHandler)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("agent: %v", err)
		}
		store.Close()
	})
	waitForSocket(t, home.Socket(dir))
	return api.NewClient(home.Socket(dir))
}

func TestProxyRefusalsAreJSONErrors(t *testing.T) {
	c := serveWithoutEngine(t)
	if _, err := c.CreateApp(context.Background(), api.CreateAppRequest{AppName: "web", OrgSlug: "personal"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, app, host string
		port            uint16
		want            api.Error
	}{
		{"no host", "web", "", 80, api.Error{Status: 400, Code: "invalid", Message: "the remote host (?host=) is missing"}},
		{"port 0", "web", "web.flycast", 0, api.Error{Status: 400, Code: "invalid", Message: `the remote port must be a number from 1 to 65535, got "0"`}},
		{"unknown app", "nope", "nope.flycast", 80, api.Error{Status: 404, Code: "app_not_found", Message: "app nope not found"}},
		{"no engine", "web", "web.flycast", 80, api.Error{Status: 503, Code: "no_engine", Message: errNoEngine.Error()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := c.Proxy(context.Background(), tt.app, tt.host, tt.port)
			var apiErr *api.Error
			if !errors.As(err, &apiErr) {
				if conn != nil {
					conn.Close()
				}
				t.Fatalf("Proxy = %v, want the agent's error", err)
			}
			if *apiErr != tt.want {
				t.Errorf("error = %+v, want %+v", *apiErr, tt.want)
			}
		})
	}
}

// tcpPair is a connected pair of loopback TCP connections, with half-close.
func tcpPair(t *testing.T) (a, b *net.TCPConn) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s := <-accepted
	t.Cleanup(func() { c.Close(); s.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	s.SetDeadline(time.Now().Add(10 * time.Second))
	return c.(*net.TCPConn), s.(*net.TCPConn)
}

// TestSpliceHalfClosesEachWay: whichever side finishes sending first, the other still
// gets everything and can still answer.
func TestSpliceHalfClosesEachWay(t *testing.T) {
	for _, upFirst := range []bool{false, true} {
		client, clientEnd := tcpPair(t)
		upEnd, up := tcpPair(t)
		spliced := make(chan struct{})
		go func() {
			splice(context.Background(), clientEnd, clientEnd, upEnd)
			close(spliced)
		}()
		first, firstPeer, second, secondPeer := client, up, up, client
		if upFirst {
			first, firstPeer, second, secondPeer = up, client, client, up
		}
		io.WriteString(first, "request")
		first.CloseWrite()
		if got, err := io.ReadAll(firstPeer); err != nil || string(got) != "request" {
			t.Fatalf("upFirst=%t: the other side read %q, %v; want the data, then the half-close", upFirst, got, err)
		}
		io.WriteString(second, "answer")
		second.CloseWrite()
		if got, err := io.ReadAll(secondPeer); err != nil || string(got) != "answer" {
			t.Fatalf("upFirst=%t: after the half-close %q, %v; want the answer", upFirst, got, err)
		}
		<-spliced
	}
}

func TestSpliceEndsWhenTheAgentStops(t *testing.T) {
	client, clientEnd := tcpPair(t)
	upEnd, up := tcpPair(t)
	ctx, cancel := context.WithCancel(context.Background())
	spliced := make(chan struct{})
	go func() {
		splice(ctx, clientEnd, clientEnd, upEnd)
		close(spliced)
	}()
	cancel()
	<-spliced
	for _, c := range []net.Conn{client, up} {
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Errorf("%s still open after the agent stopped", c.LocalAddr())
		}
	}
}
