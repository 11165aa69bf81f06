package main

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"

	"github.com/hangarhq/hangar/bench/benchenv"
	"github.com/hangarhq/hangar/pkg/runtime/docker"
)

// warmThroughput runs wrk through the proxy and straight at the machine's 6PN address.
func warmThroughput(ctx context.Context, eng *docker.Engine, a *app, _ int) error {
	if _, err := benchenv.FirstByte(a.FlycastURL()); err != nil { // make sure it is awake
		return err
	}
	via, err := wrk(a.FlycastURL())
	if err != nil {
		return err
	}
	direct, err := wrk(a.DirectURL())
	if err != nil {
		return err
	}
	fmt.Printf("  %-44s proxy %8.0f req/s (p50 %s, p99 %s)   direct %8.0f req/s (p50 %s, p99 %s)   ratio %.2f\n",
		"warm: wrk -t2 -c32 -d5s", via.rps, via.p50, via.p99, direct.rps, direct.p50, direct.p99, via.rps/direct.rps)
	return nil
}

type wrkResult struct {
	rps      float64
	p50, p99 string
}

var (
	reqsRe = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	p50Re  = regexp.MustCompile(`\s50%\s+(\S+)`)
	p99Re  = regexp.MustCompile(`\s99%\s+(\S+)`)
)

func wrk(url string) (wrkResult, error) {
	out, err := exec.Command("wrk", "-t2", "-c32", "-d5s", "--latency", url).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %v\n%s (install it with apt-get install wrk)", url, err, out)
	}
	m := reqsRe.FindSubmatch(out)
	if m == nil {
		return wrkResult{}, fmt.Errorf("wrk printed no Requests/sec:\n%s", out)
	}
	r := wrkResult{p50: find(p50Re, out), p99: find(p99Re, out)}
	r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	return r, nil
}

func find(re *regexp.Regexp, out []byte) string {
	if m := re.FindSubmatch(out); m != nil {
		return string(m[1])
	}
	return "?"
}
