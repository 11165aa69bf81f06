package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// stop stops the app's machine and waits, for at most 30 seconds, until it is listed as stopped.
func (a *app) stop() error {
	if _, err := a.Hangar("machine", "stop", a.ID); err != nil {
		return err
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		out, err := a.Hangar("machine", "list", "--json")
		if err != nil {
			return err
		}
		var ms []struct{ ID, State string }
		json.Unmarshal([]byte(out), &ms)
		for _, m := range ms {
			if m.ID == a.ID && m.State == "stopped" {
				return nil
			}
		}
	}
	return fmt.Errorf("machine %s was not stopped within 30s", a.ID)
}

var ttfbLine = regexp.MustCompile(`(?m)^ttfb_us=(\d+)\r?$`)

// shellFirstByte stops the machine, then has a new shell machine of the app, on its
// private network as in the seed walkthrough, fetch http://<app>.flycast/ once. The
// figure is hget's own: from just before its name lookup, which starts the wake, until
// the first byte, so the shell machine's own start is not counted.
func (a *app) shellFirstByte(image string) (time.Duration, error) {
	if err := a.stop(); err != nil {
		return 0, err
	}
	// hget prints ttfb_us for any answer; only a 2xx or 3xx one counts.
	script := fmt.Sprintf("hget -w -o /dev/null http://%s.flycast/ 2>&1 && echo fetched\n", a.Name)
	out, err := a.HangarIn(script, "machine", "run", "--shell", image)
	if err != nil {
		return 0, err
	}
	m := ttfbLine.FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "\nfetched") {
		return 0, fmt.Errorf("the shell machine's hget did not fetch http://%s.flycast/:\n%s", a.Name, out)
	}
	us, err := strconv.ParseInt(m[1], 10, 64)
	return time.Duration(us) * time.Microsecond, err
}
