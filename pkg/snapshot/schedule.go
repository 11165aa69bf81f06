package snapshot

import "time"

// Day is how often a volume with scheduled snapshots gets one.
const Day = 24 * time.Hour

// Volume is what the schedule needs to know of a volume.
type Volume struct {
	ID            string
	Scheduled     bool // scheduled_snapshots
	RetentionDays int
	CreatedAt     time.Time // its first snapshot is due a Day after
}

// Taken is what the schedule needs to know of a snapshot.
type Taken struct {
	ID, Volume string
	Scheduled  bool
	CreatedAt  time.Time
}

// Plan is what one pass of the scheduler does at now: the volumes due for their daily
// snapshot (none in the last Day, and created a Day ago), and the snapshots older than their volume's retention
// (a snapshot whose volume is gone keeps the default retention).
func Plan(now time.Time, vols []Volume, snaps []Taken, defaultRetention int) (take, expire []string) {
	last := map[string]time.Time{}
	retention := map[string]int{}
	for _, v := range vols {
		retention[v.ID] = v.RetentionDays
	}
	for _, s := range snaps {
		if s.Scheduled && s.CreatedAt.After(last[s.Volume]) {
			last[s.Volume] = s.CreatedAt
		}
		days, ok := retention[s.Volume]
		if !ok || days <= 0 {
			days = defaultRetention
		}
		if now.Sub(s.CreatedAt) >= time.Duration(days)*Day {
			expire = append(expire, s.ID)
		}
	}
	for _, v := range vols {
		since := last[v.ID]
		if since.Before(v.CreatedAt) {
			since = v.CreatedAt
		}
		if v.Scheduled && now.Sub(since) >= Day {
			take = append(take, v.ID)
		}
	}
	return take, expire
}
