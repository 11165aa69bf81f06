package benchenv

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/hangarhq/hangar/pkg/machine"
)

// App is one app launched and deployed with one machine in a private HANGAR_HOME, driven
// through the hangar binary as a user drives it; its agent never idles machines on its own.
type App struct {
	Bin, Home, Dir, Name string
	Flycast, SixPN, ID   string // its Flycast address, its machine's 6PN address and ID
	Container            string // the machine's container
}

// DeployApp launches image as an app named <prefix>-<pid> and deploys one machine.
func DeployApp(bin, image, prefix string) (*App, error) {
	home, err := os.MkdirTemp("", "hgb-")
	if err != nil {
		return nil, err
	}
	a := &App{Bin: bin, Home: home, Name: fmt.Sprintf("%s-%d", prefix, os.Getpid())}
	a.Dir = filepath.Join(home, a.Name)
	os.Mkdir(a.Dir, 0o755)
	if _, err := a.Hangar("launch", "--image", image, "--internal-port", "80", "--no-deploy", "--yes"); err != nil {
		return a, err
	}
	toml, _ := os.ReadFile(filepath.Join(a.Dir, "fly.toml"))
	os.WriteFile(filepath.Join(a.Dir, "fly.toml"), []byte(strings.Replace(string(toml), "force_https = true", "force_https = false", 1)), 0o644)
	if _, err := a.Hangar("deploy", "--ha=false"); err != nil {
		return a, err
	}
	return a, a.lookup()
}

// Hangar runs a hangar command for this app, for at most two minutes.
func (a *App) Hangar(args ...string) (string, error) { return a.HangarIn("", args...) }

// HangarIn is Hangar with stdin.
func (a *App) HangarIn(stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := a.Command(ctx, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("hangar %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// Command is a hangar command for this app, to run as the caller needs (in the background).
func (a *App) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, a.Bin, args...)
	cmd.Dir = a.Dir
	cmd.Env = append(os.Environ(), "HANGAR_HOME="+a.Home, "HANGAR_IDLE_TIMEOUT=24h")
	return cmd
}

func (a *App) lookup() error {
	var ips []struct{ Address string }
	var ms []struct {
		ID        string `json:"id"`
		PrivateIP string `json:"private_ip"`
	}
	for args, v := range map[string]any{"ips list --json": &ips, "machine list --json": &ms} {
		out, err := a.Hangar(strings.Fields(args)...)
		if err != nil {
			return err
		}
		json.Unmarshal([]byte(out), v)
	}
	if len(ips) != 1 || len(ms) != 1 {
		return fmt.Errorf("want one address and one machine, got %v and %v", ips, ms)
	}
	a.Flycast, a.SixPN, a.ID = ips[0].Address, ms[0].PrivateIP, ms[0].ID
	a.Container = machine.ContainerName(a.Name, a.ID, 0)
	return nil
}

// FlycastURL is the app through the proxy; DirectURL its machine, bypassing it.
func (a *App) FlycastURL() string { return "http://[" + a.Flycast + "]:80/" }
func (a *App) DirectURL() string  { return "http://[" + a.SixPN + "]:80/" }

// Close destroys the app, stops its agent and removes its home.
func (a *App) Close() {
	a.Hangar("apps", "destroy", "-y", a.Name)
	a.Hangar("agent", "stop")
	os.RemoveAll(a.Home)
}
