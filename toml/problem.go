package toml

// Problem is one thing Validate found wrong with a config. Key is the key
// path (e.g. "services[0].ports[1].port"); Line is where that key, or its
// table when the key is absent, was read from (0 for a config built in
// code). Warnings are problems flyctl accepts but that probably are
// mistakes.
type Problem struct {
	File    string
	Line    int
	Key     string
	Message string
	Warning bool
}

// String renders the problem as "fly.toml:9: http_service.internal_port
// must be 1-65535, got 0", with "warning: " before the key for warnings.
func (p Problem) String() string {
	msg := p.Message
	if p.Key != "" {
		msg = p.Key + " " + msg
	}
	if p.Warning {
		msg = "warning: " + msg
	}
	return location(p.File, p.Line) + ": " + msg
}

func (p Problem) Error() string { return p.String() }

// HasErrors reports whether any of problems is not a warning.
func HasErrors(problems []Problem) bool {
	for _, p := range problems {
		if !p.Warning {
			return true
		}
	}
	return false
}
