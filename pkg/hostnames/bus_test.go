package hostnames

import "github.com/hangarhq/hangar/pkg/hostnames/resolvedtest"

// The private bus and the fake systemd-resolved live in resolvedtest, shared with e2e.
var (
	testBus   = resolvedtest.Bus
	startFake = resolvedtest.Start
	connect   = resolvedtest.Connect
)
