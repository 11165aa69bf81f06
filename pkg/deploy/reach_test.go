package deploy

import (
	"testing"

	"github.com/hangarhq/hangar/toml"
)

func TestReachLine(t *testing.T) {
	const httpApp = `
[http_service]
  internal_port = 8080
`
	const tcpApp = `
[[services]]
  internal_port = 7000
  protocol = "tcp"
  [[services.ports]]
    port = 7000
    handlers = []
`
	const both = httpApp + tcpApp + `
[[services]]
  internal_port = 5353
  protocol = "udp"
  [[services.ports]]
    port = 53
`
	tests := []struct {
		name, config string
		routed       bool
		want         string
	}{
		{"http routed", httpApp, true, "Finished deploying. Reach it from your private network at http://web.flycast"},
		{"tcp routed", tcpApp, true, "Finished deploying. Reach it from your private network at web.flycast:7000"},
		{"both routed, udp and tls left out", both, true, "Finished deploying. Reach it from your private network at http://web.flycast and web.flycast:7000"},
		{"http unrouted", httpApp, false, "Finished deploying. This host does not route Flycast addresses (the agent is not root); reach it with hangar proxy 8080:80 -a web (then http://localhost:8080/)"},
		{"both unrouted", both, false, "Finished deploying. This host does not route Flycast addresses (the agent is not root); reach it with hangar proxy 8080:80 -a web (then http://localhost:8080/); hangar proxy 7000:7000 -a web (then localhost:7000)"},
		{"no services", "app = 'web'\n", true, "Finished deploying. The app has no services, so its Flycast address serves nothing; its machines answer on their 6PN addresses (hangar ips private)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := toml.Parse("fly.toml", []byte(tt.config))
			if err != nil {
				t.Fatal(err)
			}
			if got := reachLine("web", cfg, tt.routed); got != tt.want {
				t.Errorf("reachLine =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
