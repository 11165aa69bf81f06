package api

import (
	"context"
	"net/http"
)

// RestartAgent asks the agent to hand its sockets to a new agent process and exit once
// its requests in flight are answered; it returns the status of the old agent.
func (c *Client) RestartAgent(ctx context.Context) (AgentStatus, error) {
	var st AgentStatus
	err := c.do(ctx, http.MethodPost, "/v1/agent/restart", nil, &st)
	return st, err
}
