package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// app is one launched and deployed app of a private HANGAR_HOME, with its agent.
type app struct {
	bin, home, dir, name string
	flycast, sixpn, id   string
	container            string
}

func newApp(bin, image string) (*app, error) {
	home, err := os.MkdirTemp("", "hgw-")
	if err != nil {
		return nil, err
	}
	a := &app{bin: bin, home: home, name: fmt.Sprintf("wakebench-%d", os.Getpid())}
	a.dir = filepath.Join(home, a.name)
	os.Mkdir(a.dir, 0o755)
	steps := [][]string{{"launch", "--image", image, "--internal-port", "80", "--no-deploy", "--yes"}}
	for _, s := range steps {
		if _, err := a.hangar(s...); err != nil {
			return a, err
		}
	}
	toml, _ := os.ReadFile(filepath.Join(a.dir, "fly.toml"))
	os.WriteFile(filepath.Join(a.dir, "fly.toml"), []byte(strings.Replace(string(toml), "force_https = true", "force_https = false", 1)), 0o644)
	if _, err := a.hangar("deploy", "--ha=false"); err != nil {
		return a, err
	}
	return a, a.lookup()
}

// hangar runs a command for this app; the agent it starts never idles machines on its own.
func (a *app) hangar(args ...string) (string, error) {
	cmd := exec.Command(a.bin, args...)
	cmd.Dir = a.dir
	cmd.Env = append(os.Environ(), "HANGAR_HOME="+a.home, "HANGAR_IDLE_TIMEOUT=24h")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("hangar %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (a *app) lookup() error {
	out, err := a.hangar("ips", "list", "--json")
	if err != nil {
		return err
	}
	var ips []struct{ Address string }
	json.Unmarshal([]byte(out), &ips)
	out, err = a.hangar("machine", "list", "--json")
	if err != nil {
		return err
	}
	var ms []struct {
		ID        string `json:"id"`
		PrivateIP string `json:"private_ip"`
	}
	json.Unmarshal([]byte(out), &ms)
	if len(ips) != 1 || len(ms) != 1 {
		return fmt.Errorf("want one address and one machine, got %v and %v", ips, ms)
	}
	a.flycast, a.sixpn, a.id = ips[0].Address, ms[0].PrivateIP, ms[0].ID
	a.container = "hangar-" + a.name + "-" + a.id
	return nil
}

func (a *app) flycastURL() string { return "http://[" + a.flycast + "]:80/" }
func (a *app) directURL() string  { return "http://[" + a.sixpn + "]:80/" }

func (a *app) close() {
	a.hangar("apps", "destroy", "-y", a.name)
	a.hangar("agent", "stop")
	os.RemoveAll(a.home)
}
