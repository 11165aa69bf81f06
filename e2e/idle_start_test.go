package e2e

import "testing"

// TestIdleFromTheStart: a machine that never gets a request is still stopped after its
// idle time: after its deploy, and again after the agent was killed and adopted it.
func TestIdleFromTheStart(t *testing.T) {
	needEngine(t)
	needRoot(t)
	e := newEnv(t)
	e.extraEnv = []string{"HANGAR_IDLE_TIMEOUT=2s"}
	_, dir, id, _ := deployedApp(t, e, "")
	waitFor(t, "the machine nobody asked for to stop", func() bool { return machineByID(t, e, dir, id).State == "stopped" })
	e.must(dir, "machine", "start", id)
	killAgent(t, e)
	e.must(dir, "agent", "start")
	waitFor(t, "the adopted machine to stop", func() bool { return machineByID(t, e, dir, id).State == "stopped" })
}
