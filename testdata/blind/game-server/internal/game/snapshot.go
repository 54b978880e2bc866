package game

import (
	"sort"
	"time"
)

// Snapshot is an immutable copy of a match's state at one tick. It is what
// gets broadcast to clients and persisted to disk.
type Snapshot struct {
	MatchID string        `json:"match_id"`
	Tick    uint64        `json:"tick"`
	Phase   Phase         `json:"phase"`
	Reason  string        `json:"reason,omitempty"`
	Players []PlayerState `json:"players"`
	TakenAt time.Time     `json:"taken_at"`
}

// Archiver persists final match snapshots (implemented by snapshot.Store).
type Archiver interface {
	Archive(Snapshot) error
}

// Archive hands the snapshot to a. A nil archiver means persistence is off.
func (s Snapshot) Archive(a Archiver) error {
	if a == nil {
		return nil
	}
	return a.Archive(s)
}

// Player looks up one player in the snapshot.
func (s Snapshot) Player(id string) (PlayerState, bool) {
	i := sort.Search(len(s.Players), func(i int) bool { return s.Players[i].ID >= id })
	if i < len(s.Players) && s.Players[i].ID == id {
		return s.Players[i], true
	}
	return PlayerState{}, false
}
