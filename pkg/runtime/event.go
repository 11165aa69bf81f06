package runtime

import "time"

// Action is what happened to a container.
type Action string

// The container events Hangar follows.
const (
	ActionStart   Action = "start"
	ActionDie     Action = "die" // the process exited; see Event.ExitCode
	ActionStop    Action = "stop"
	ActionPause   Action = "pause"
	ActionUnpause Action = "unpause"
	ActionDestroy Action = "destroy"
	ActionOOM     Action = "oom"
)

// Actions lists every Action an Engine reports.
var Actions = []Action{ActionStart, ActionDie, ActionStop, ActionPause, ActionUnpause, ActionDestroy, ActionOOM}

// Event is one container lifecycle event.
type Event struct {
	Action      Action
	ContainerID string
	Name        string
	Image       string
	ExitCode    int // set on ActionDie
	Labels      map[string]string
	Time        time.Time
}
