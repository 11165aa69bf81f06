package tmpdeps

import (
	_ "github.com/charmbracelet/huh"
	_ "github.com/creack/pty"
	_ "github.com/docker/docker/client"
	_ "github.com/docker/docker/api/types/container"
	_ "github.com/docker/docker/api/types/network"
	_ "github.com/docker/docker/api/types/image"
	_ "github.com/docker/docker/api/types/events"
	_ "github.com/docker/docker/pkg/jsonmessage"
	_ "github.com/docker/docker/pkg/stdcopy"
	_ "github.com/docker/go-connections/nat"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/miekg/dns"
	_ "github.com/pelletier/go-toml/v2"
	_ "github.com/pelletier/go-toml/v2/unstable"
	_ "github.com/spf13/cobra"
	_ "go.etcd.io/bbolt"
	_ "golang.org/x/sys/unix"
	_ "golang.org/x/term"
)
