// Command hello is a tiny HTTP server that answers like nginxdemos/hello: a
// page naming the server, the address the request arrived on, the URI, the
// date and a request ID, as HTML or as JSON. Hangar's e2e tests run it in a
// FROM scratch image.
//
// Environment (flags override): PORT (80), LISTEN ("[::]"). For failure
// tests: CRASH=<code> exits with that code, after EXIT_AFTER=<duration> if set,
// else at once; EXIT_AFTER alone exits 0 after the duration; NO_LISTEN=1 never
// listens. ECHO_PORT=<port> also serves raw TCP on that port: each connection
// gets back what it sends and, once the client half-closed, "EOF" and a
// half-close (a [[services]] TCP service for the proxy's tests). SIGTERM and
// SIGINT shut the server down gracefully: requests in flight get a second to
// finish, then it exits 0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() { os.Exit(run(os.Args[1:], os.Getenv, os.Stdout)) }

// config is what the environment and flags ask for.
type config struct {
	addr      string
	echoAddr  string // raw TCP echo; "" for none
	noListen  bool
	exitAfter time.Duration
	exitCode  int
}

func parseConfig(args []string, getenv func(string) string) (config, error) {
	fs := flag.NewFlagSet("hello", flag.ContinueOnError)
	port := fs.String("port", or(getenv("PORT"), "80"), "TCP port to listen on")
	listen := fs.String("listen", or(getenv("LISTEN"), "[::]"), "address to listen on")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	c := config{addr: net.JoinHostPort(strings.Trim(*listen, "[]"), *port), noListen: getenv("NO_LISTEN") == "1"}
	if p := getenv("ECHO_PORT"); p != "" {
		c.echoAddr = net.JoinHostPort(strings.Trim(*listen, "[]"), p)
	}
	var err error
	if s := getenv("EXIT_AFTER"); s != "" {
		if c.exitAfter, err = time.ParseDuration(s); err != nil {
			return c, fmt.Errorf("EXIT_AFTER: %w", err)
		}
	}
	if s := getenv("CRASH"); s != "" {
		if c.exitCode, err = strconv.Atoi(s); err != nil {
			return c, fmt.Errorf("CRASH: %w", err)
		}
	}
	return c, nil
}

func run(args []string, getenv func(string) string, out io.Writer) int {
	c, err := parseConfig(args, getenv)
	if err != nil {
		fmt.Fprintln(out, "hello:", err)
		return 2
	}
	if c.exitCode != 0 && c.exitAfter == 0 {
		fmt.Fprintf(out, "hello: crashing with code %d\n", c.exitCode)
		return c.exitCode
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	return serve(ctx, c, out)
}

// serve answers until a signal (exit 0) or EXIT_AFTER (exit with CRASH's code).
func serve(ctx context.Context, c config, out io.Writer) int {
	var ln net.Listener
	if !c.noListen {
		var err error
		if ln, err = net.Listen("tcp", c.addr); err != nil {
			fmt.Fprintln(out, "hello:", err)
			return 1
		}
		fmt.Fprintf(out, "hello: listening on %s\n", ln.Addr())
	}
	stopEcho, err := startEcho(c.echoAddr, out)
	if err != nil {
		fmt.Fprintln(out, "hello:", err)
		return 1
	}
	defer stopEcho()
	srv := &http.Server{Handler: handler(out), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	if ln != nil {
		go func() { served <- srv.Serve(ln) }()
	}
	code := wait(ctx, c, served, out)
	// A short grace period: stop timeouts in tests are a few seconds.
	shutdown, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if srv.Shutdown(shutdown) != nil {
		srv.Close()
	}
	return code
}

func wait(ctx context.Context, c config, served <-chan error, out io.Writer) int {
	var timeout <-chan time.Time
	if c.exitAfter > 0 {
		timeout = time.After(c.exitAfter)
	}
	select {
	case <-ctx.Done():
		fmt.Fprintln(out, "hello: shutting down")
		return 0
	case <-timeout:
		fmt.Fprintf(out, "hello: exiting with code %d after %s\n", c.exitCode, c.exitAfter)
		return c.exitCode
	case err := <-served:
		if errors.Is(err, http.ErrServerClosed) {
			return 0
		}
		fmt.Fprintln(out, "hello:", err)
		return 1
	}
}

// startEcho serves the TCP echo when ECHO_PORT asks for it; the func stops it.
func startEcho(addr string, out io.Writer) (func(), error) {
	if addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "hello: echoing TCP on %s\n", ln.Addr())
	go echo(ln)
	return func() { ln.Close() }, nil
}

// echo answers each connection with what it reads, then "EOF" once the client
// half-closed; closing the connection half-closes ours after it.
func echo(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			if _, err := io.Copy(c, c); err == nil {
				io.WriteString(c, "EOF")
			}
		}()
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
