// Command hget fetches a URL and prints the body: a tiny static HTTP client
// for busybox test containers, whose static wget crashes on name lookups.
//
//	hget [-o file] [-s] [-t timeout] [-w] [-H 'Name: value']... URL
//
// It exits 0 on a 2xx or 3xx answer, 1 on any other answer or a failure to
// connect, and 2 on bad usage. -s keeps error messages off stderr. -w prints
// "ttfb_us=N" to stderr once the answer starts: the microseconds from just
// before the request (which begins with the name lookup) to its first byte.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"strings"
	"time"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// options are hget's command line.
type options struct {
	out     string
	silent  bool
	timeout time.Duration
	timed   bool
	headers headerList
	url     string
}

type headerList []string

func (h *headerList) String() string     { return strings.Join(*h, ", ") }
func (h *headerList) Set(v string) error { *h = append(*h, v); return nil }

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("hget", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.out, "o", "", "write the body to `file` instead of stdout")
	fs.BoolVar(&o.silent, "s", false, "print no error messages")
	fs.DurationVar(&o.timeout, "t", 10*time.Second, "give up after `timeout`")
	fs.BoolVar(&o.timed, "w", false, "print ttfb_us=N, the microseconds until the first byte, to stderr")
	fs.Var(&o.headers, "H", "add a request header 'Name: value' (repeatable)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() != 1 {
		return o, errors.New("usage: hget [-o file] [-s] [-t timeout] [-w] [-H 'Name: value']... URL")
	}
	o.url = fs.Arg(0)
	return o, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "hget:", err)
		return 2
	}
	if err := fetch(o, stdout, stderr); err != nil {
		if !o.silent {
			fmt.Fprintln(stderr, "hget:", err)
		}
		return 1
	}
	return 0
}

func fetch(o options, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	var start time.Time
	var firstByte time.Duration
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotFirstResponseByte: func() { firstByte = time.Since(start) },
	})
	req, err := newRequest(ctx, o)
	if err != nil {
		return err
	}
	// Do resolves the name first: for a sleeping app that lookup already starts the
	// wake, so the clock starts here.
	start = time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if o.timed { // Do returned after the hook ran, so reading firstByte is safe
		fmt.Fprintf(stderr, "ttfb_us=%d\n", firstByte.Microseconds())
	}
	if err := save(o.out, stdout, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		return fmt.Errorf("%s: %s", o.url, resp.Status)
	}
	return nil
}

func newRequest(ctx context.Context, o options) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.url, nil)
	if err != nil {
		return nil, err
	}
	for _, h := range o.headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			return nil, fmt.Errorf("header %q: want 'Name: value'", h)
		}
		req.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host
	}
	return req, nil
}

func save(path string, stdout io.Writer, body io.Reader) error {
	if path == "" {
		_, err := io.Copy(stdout, body)
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
