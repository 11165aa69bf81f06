package machine

import (
	"os"
	"sync"
)

// CrashEnv is the fault tests' hook: an agent started with
// HANGAR_TEST_CRASH_AT=<point> kills itself with SIGKILL when it reaches that
// point, so e2e can check that what a crash there leaves is adopted whole.
// Unset (always, outside those tests), CrashAt does nothing.
const CrashEnv = "HANGAR_TEST_CRASH_AT"

// The points CrashAt is called at, in the order an operation passes them.
const (
	CrashDeployReleaseCreated   = "deploy:after-release-created"   // the release is pending, no machine yet
	CrashSandboxCreated         = "sandbox:after-created"          // the sandbox runs, no record names it, no app container yet
	CrashDeployContainerCreated = "deploy:after-container-created" // the container exists, its record does not name it
	CrashDeployMachineRecorded  = "deploy:after-machine-recorded"  // the record names the created container
	CrashDeployStarted          = "deploy:after-start"             // the new machine runs, not yet checked ready
	CrashDeployBeforeFinish     = "deploy:before-finish"           // every machine is up, the release still pending
	CrashWakeStartRequested     = "wake:after-start-requested"     // the container runs, the record says starting
	CrashWakeStartedRecorded    = "wake:after-started-recorded"    // the record says started
	CrashStopRequested          = "stop:after-stop-requested"      // the record says stopping, the container runs
	CrashStopBeforeRecorded     = "stop:before-recorded"           // the container stopped, the record says stopping
	CrashReplaceNewContainer    = "replace:after-new-container"    // the new container exists, the replacement does not name it
)

var crashPoint = sync.OnceValue(func() string { return os.Getenv(CrashEnv) })

// CrashAt kills this process with SIGKILL if CrashEnv names point.
func CrashAt(point string) {
	if crashPoint() != point {
		return
	}
	if p, err := os.FindProcess(os.Getpid()); err == nil {
		_ = p.Kill()
	}
	select {} // the signal is on its way; nothing more may happen here
}
