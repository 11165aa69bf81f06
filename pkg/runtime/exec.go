package runtime

import "io"

// ExecSpec is a command to run inside a running container.
type ExecSpec struct {
	Cmd []string
	Env map[string]string
	Tty bool // allocate a terminal; without one stdout and stderr arrive merged
}

// ExecSession is a running exec: Stream carries its stdin (CloseWrite ends it) and
// its output until the command ends; ID names it for ResizeExec and ExecExitCode.
type ExecSession struct {
	ID     string
	Stream io.ReadWriteCloser
}
