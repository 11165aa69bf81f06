package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Deploy sends the deploy and calls progress for each event until the agent reports
// the release or the error. Interrupting ctx leaves the deploy to the agent, which
// finishes or rolls it back.
func (c *Client) Deploy(ctx context.Context, app string, req DeployRequest, progress func(DeployEvent)) (Release, error) {
	return c.postRelease(ctx, appPath(app, "deploy"), req, progress)
}

// postRelease posts in and reads the events of a rollout that ends with a release.
func (c *Client) postRelease(ctx context.Context, path string, in any, progress func(DeployEvent)) (Release, error) {
	done, err := c.postEvents(ctx, path, in, progress)
	if err != nil {
		return Release{}, err
	}
	if done.Release == nil {
		return Release{}, errors.New("the agent finished the deploy without a release")
	}
	return *done.Release, nil
}

// postEvents posts in and reads the answer as a stream of deploy events, returning the "done" one.
func (c *Client) postEvents(ctx context.Context, path string, in any, progress func(DeployEvent)) (DeployEvent, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return DeployEvent{}, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://hangar"+path, bytes.NewReader(body))
	if err != nil {
		return DeployEvent{}, err
	}
	resp, err := c.http.Do(hreq)
	if err != nil {
		return DeployEvent{}, fmt.Errorf("reaching the hangar agent at %s: %w", c.socket, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return DeployEvent{}, decode(resp, nil)
	}
	return readDeployEvents(bufio.NewScanner(resp.Body), progress)
}

func readDeployEvents(sc *bufio.Scanner, progress func(DeployEvent)) (DeployEvent, error) {
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		var ev DeployEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return DeployEvent{}, fmt.Errorf("reading deploy progress: %w", err)
		}
		switch ev.Kind {
		case EventDone:
			return ev, nil
		case EventError:
			return DeployEvent{}, &Error{Status: http.StatusOK, Code: "deploy_failed", Message: ev.Error}
		}
		progress(ev)
	}
	if err := sc.Err(); err != nil {
		return DeployEvent{}, fmt.Errorf("reading deploy progress: %w", err)
	}
	return DeployEvent{}, errors.New("the agent closed the deploy stream before it finished: see hangar releases and the agent log")
}
