package toml

func (v *validator) mounts() {
	for i, m := range v.c.Mounts {
		v.mount(joinIndex("mounts", i), m)
	}
	for _, group := range v.c.ProcessNames() {
		n := 0
		for _, m := range v.c.Mounts {
			if v.c.InGroup(m.Processes, group) {
				n++
			}
		}
		if n > 1 {
			v.errorf("mounts", "gives process group %q %d volumes; a group can mount only one", group, n)
		}
	}
}

func (v *validator) mount(key string, m Mount) {
	if m.Source == "" {
		v.errorf(key+".source", "is required: the name of the volume to mount")
	}
	if m.Destination == "" {
		v.errorf(key+".destination", "is required: the path to mount the volume at")
	}
	if m.Destination == "/" {
		v.errorf(key+".destination", "cannot be '/': mount the volume at a directory of its own, like destination = '/data'")
	}
	v.sizeGB(key+".initial_size", m.InitialSize, 0)
	if r := m.SnapshotRetention; r != nil && (*r < 1 || *r > 60) {
		v.errorf(key+".snapshot_retention", "must be 1-60 days, got %d", *r)
	}
	v.autoExtend(key, m)
	v.processRefs(key+".processes", m.Processes)
}

// sizeGB checks an optional size in GB; max 0 means no upper bound.
func (v *validator) sizeGB(key, size string, max int) int {
	if size == "" {
		return 0
	}
	gb, err := parseSizeGB(size)
	switch {
	case err != nil:
		v.errorf(key, "must be a size like \"10gb\": %v", err)
	case gb < 1:
		v.errorf(key, "must be at least 1GB, got %q", size)
	case max > 0 && gb > max:
		v.errorf(key, "must be at most %dGB, got %q", max, size)
	}
	return gb
}

func (v *validator) autoExtend(key string, m Mount) {
	increment := v.sizeGB(key+".auto_extend_size_increment", m.AutoExtendSizeIncrement, 100)
	limit := v.sizeGB(key+".auto_extend_size_limit", m.AutoExtendSizeLimit, 500)
	threshold := m.AutoExtendSizeThreshold
	if threshold == 0 && increment == 0 && limit == 0 {
		return
	}
	if threshold < 50 || threshold > 99 {
		v.errorf(key+".auto_extend_size_threshold", "must be 50-99 (percent) when auto-extending, got %d", threshold)
	}
	if m.AutoExtendSizeIncrement == "" {
		v.errorf(key+".auto_extend_size_increment", "is required when auto-extending (1gb-100gb)")
	}
}

// SizeGB is the mount's initial_size in GB: 1 when unset, as flyctl's default.
func (m Mount) SizeGB() (int, error) {
	if m.InitialSize == "" {
		return 1, nil
	}
	return parseSizeGB(m.InitialSize)
}
