package benchenv

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// FirstByte times one GET until its answer starts (the proxy holds it while it wakes
// the app); anything but 200 is an error.
func FirstByte(url string) (time.Duration, error) {
	start := time.Now()
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return 0, fmt.Errorf("%s answered %s", url, resp.Status)
	}
	return time.Since(start), nil
}

// UntilAnswer is a bare start's readiness: GET every 2 ms, for at most a minute, until
// the machine answers; the time counts from start.
func UntilAnswer(url string, start time.Time) (time.Duration, error) {
	c := http.Client{Timeout: time.Second}
	for time.Since(start) < 60*time.Second {
		if resp, err := c.Get(url); err == nil {
			resp.Body.Close()
			return time.Since(start), nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0, fmt.Errorf("%s never answered", url)
}

// Median runs f n times and returns the median of what it measured.
func Median(n int, f func() (time.Duration, error)) (time.Duration, error) {
	var ds []time.Duration
	for range n {
		d, err := f()
		if err != nil {
			return 0, err
		}
		ds = append(ds, d)
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}
