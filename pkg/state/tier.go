package state

// Tiers of sleep, from the quickest to wake to the cheapest to keep.
const (
	TierAwake   = ""        // running, or neither asleep nor awake (starting, failed)
	TierSuspend = "suspend" // paused in memory: resumes in tens of milliseconds
	TierStop    = "stop"    // the app stopped, its sandbox (address, network) kept: starts only the process
	TierCold    = "cold"    // the sandbox stopped too (no process, no address): a wake sets up the network again
)

// Tier is how deeply the machine sleeps.
func (m Machine) Tier() string {
	switch {
	case m.State == MachineSuspended:
		return TierSuspend
	case m.State != MachineStopped && m.State != MachineCreated:
		return TierAwake
	case m.Cold:
		return TierCold
	}
	return TierStop // a machine made before sandboxes keeps its network in its container
}
