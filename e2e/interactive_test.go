package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// terminal is hangar running on a pseudo-terminal, with everything it printed so far.
type terminal struct {
	t    *testing.T
	tty  *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	seen bytes.Buffer
	done chan error
	// drained closes when the reader has seen the end of the terminal's output.
	drained chan struct{}
}

func startTerminal(t *testing.T, e *env, dir string, args ...string) *terminal {
	cmd := exec.Command(hangarBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HANGAR_HOME="+e.home, "TERM=xterm-256color", "NO_COLOR=1")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	term := &terminal{t: t, tty: tty, cmd: cmd, done: make(chan error, 1), drained: make(chan struct{})}
	go term.read()
	go func() { term.done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill(); tty.Close() })
	return term
}

// read collects output and answers the terminal queries a TUI library may send.
func (term *terminal) read() {
	defer close(term.drained)
	buf := make([]byte, 4096)
	for {
		n, err := term.tty.Read(buf)
		if n > 0 {
			term.mu.Lock()
			term.seen.Write(buf[:n])
			term.mu.Unlock()
			term.answerQueries(buf[:n])
		}
		if err != nil {
			return
		}
	}
}

func (term *terminal) answerQueries(b []byte) {
	if bytes.Contains(b, []byte("\x1b[6n")) {
		term.tty.WriteString("\x1b[1;1R")
	}
	if bytes.Contains(b, []byte("\x1b]11;?")) {
		term.tty.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\")
	}
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[=>]`)

// screen is what was printed, without escape sequences.
func (term *terminal) screen() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return ansi.ReplaceAllString(term.seen.String(), "")
}

// waitFor polls the output for text, up to 20 s.
func (term *terminal) waitFor(text string) {
	term.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(term.screen(), text) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	term.t.Fatalf("no %q on the terminal after 20s; it shows:\n%s", text, term.screen())
}

func (term *terminal) send(keys string) {
	if _, err := term.tty.WriteString(keys); err != nil {
		term.t.Fatal(err)
	}
}

// wait returns the exit status once the program ended and its last output was read.
func (term *terminal) wait() error {
	select {
	case err := <-term.done:
		select {
		case <-term.drained: // the pty reports EOF/EIO once the program's side is closed
		case <-time.After(5 * time.Second):
		}
		return err
	case <-time.After(30 * time.Second):
		term.t.Fatalf("hangar did not exit; the terminal shows:\n%s", term.screen())
		return nil
	}
}

// TestInteractiveLaunch answers launch's prompts at a terminal: a new name, the default
// organization, and No to the tweak question.
func TestInteractiveLaunch(t *testing.T) {
	e := newEnv(t)
	e.must(e.work, "agent", "start")
	dir := e.mkdir("Interactive Demo")
	term := startTerminal(t, e, dir, "launch", "--image", "nginxdemos/hello", "--no-deploy")
	term.waitFor("Choose an app name")
	term.send("\x15admin-panel\r") // Ctrl-U clears the suggested name
	term.waitFor("Select organization")
	term.send("\r")
	term.waitFor("Do you want to tweak these settings before proceeding?")
	term.send("\r")
	if err := term.wait(); err != nil {
		t.Fatalf("launch: %v\n%s", err, term.screen())
	}
	if !strings.Contains(term.screen(), "Created app 'admin-panel' in organization 'personal'") {
		t.Errorf("terminal shows:\n%s", term.screen())
	}
	if r := e.must(dir, "ips", "list"); !strings.Contains(r.stdout, "private") {
		t.Errorf("ips list in the launched dir: %v", r)
	}
}
