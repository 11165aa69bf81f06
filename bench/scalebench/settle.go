package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/home"
)

// settle waits until the restarted agent answers the last populated app's name and has
// finished adopting the containers: less than 5 % of a core over a second.
func (a *app) settle(ctx context.Context, last string) error {
	deadline := time.Now().Add(3 * time.Minute)
	for !a.answers(last) {
		if time.Now().After(deadline) {
			return fmt.Errorf("%s.flycast did not resolve within 3 minutes of the agent's start", last)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for cpu := cpuTime(a.pid); time.Now().Before(deadline); {
		time.Sleep(time.Second)
		now := cpuTime(a.pid)
		if now-cpu < 50*time.Millisecond {
			return nil
		}
		cpu = now
	}
	return fmt.Errorf("the agent was still busy 3 minutes after it started")
}

// waitAPI polls the agent's API for 3 minutes.
func (a *app) waitAPI(ctx context.Context) error {
	c := api.NewClient(home.Socket(a.Home))
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if st, err := c.Ping(ctx); err == nil {
			a.pid = st.PID
			return nil
		}
	}
	return fmt.Errorf("the agent did not answer its API within 3 minutes")
}

func (a *app) answers(name string) bool {
	m := new(dns.Msg)
	m.SetQuestion(name+".flycast.", dns.TypeAAAA)
	r, err := dns.Exchange(m, "["+a.resolver()+"]:53")
	return err == nil && r.Rcode == dns.RcodeSuccess && len(r.Answer) > 0
}

// cpuTime is the user and system time a process has used, from /proc (clock ticks of
// 10 ms).
func cpuTime(pid int) time.Duration {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.Atoi(fields[11])
	stime, _ := strconv.Atoi(fields[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
