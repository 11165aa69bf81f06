package toml

import "testing"

func TestInGroup(t *testing.T) {
	tests := []struct {
		name      string
		groups    map[string]string // [processes]
		processes []string
		group     string
		want      bool
	}{
		{"no [processes], empty list", nil, nil, "app", true},
		{"empty list, the app group", map[string]string{"app": "a", "worker": "w"}, nil, "app", true},
		{"empty list, another group", map[string]string{"app": "a", "worker": "w"}, nil, "worker", false},
		{"empty but not nil", map[string]string{"app": "a", "worker": "w"}, []string{}, "worker", false},
		{"no app group: the first by name is the default", map[string]string{"web": "a", "cron": "c"}, nil, "cron", true},
		{"no app group: the others are not", map[string]string{"web": "a", "cron": "c"}, nil, "web", false},
		{"named", nil, []string{"web", "worker"}, "worker", true},
		{"not named", nil, []string{"web"}, "worker", false},
		{"not named, even the default", map[string]string{"app": "a", "web": "w"}, []string{"web"}, "app", false},
		{"names are exact", nil, []string{"Web"}, "web", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Config{Processes: tt.groups}
			if got := c.InGroup(tt.processes, tt.group); got != tt.want {
				t.Errorf("InGroup(%q, %q) with [processes] %v = %v, want %v", tt.processes, tt.group, tt.groups, got, tt.want)
			}
		})
	}
}

func TestVMForGroup(t *testing.T) {
	global, web := VM{Memory: "512mb"}, VM{Memory: "1gb", Processes: []string{"web"}}
	tests := []struct {
		name  string
		vms   []VM
		group string
		want  *VM
	}{
		{"none", nil, "web", nil},
		{"one without processes sizes every group", []VM{global}, "worker", &global},
		{"the group's own wins, listed after the global one", []VM{global, web}, "web", &web},
		{"the group's own wins, listed first", []VM{web, global}, "web", &web},
		{"others fall back to the global one", []VM{web, global}, "worker", &global},
		{"no global one", []VM{web}, "worker", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Config{VMs: tt.vms, Processes: map[string]string{"web": "w", "worker": "k"}}
			got := c.vmFor(tt.group)
			if (got == nil) != (tt.want == nil) || got != nil && got.Memory != tt.want.Memory {
				t.Errorf("vmFor(%q) = %+v, want %+v", tt.group, got, tt.want)
			}
		})
	}
}
