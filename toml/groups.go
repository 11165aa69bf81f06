package toml

import "slices"

// DefaultProcessName is the group a section without processes belongs to:
// "app" when [processes] has it (or is empty), else its first group by name.
func (c *Config) DefaultProcessName() string {
	names := c.ProcessNames()
	if slices.Contains(names, "app") {
		return "app"
	}
	return names[0]
}

// InGroup is the one reading of a processes list in [[services]],
// [http_service] and [[mounts]], as flyctl flattens a config per group: the
// section applies to a machine of group when the list names it, and an empty
// list means the default group only. [[vm]] alone differs (see vmFor): one
// without processes is the size of every group that has none of its own.
func (c *Config) InGroup(processes []string, group string) bool {
	if len(processes) == 0 {
		return group == c.DefaultProcessName()
	}
	return slices.Contains(processes, group)
}
