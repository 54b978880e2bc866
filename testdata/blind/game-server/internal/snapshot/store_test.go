package snapshot

import (
	"encoding/json"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.com/gamesrv/internal/game"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := NewStore(t.TempDir(), 3, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sampleSnapshot(id string, tick uint64) game.Snapshot {
	return game.Snapshot{
		MatchID: id,
		Tick:    tick,
		Phase:   game.PhaseRunning,
		Players: []game.PlayerState{{ID: "alice", HP: 100}, {ID: "bob", HP: 40, Score: 200}},
		TakenAt: time.Unix(1700000000, 0).UTC(),
	}
}

func TestSaveThenLoadAll(t *testing.T) {
	s := newTestStore(t)
	for tick := uint64(1); tick <= 5; tick++ {
		if err := s.Archive(sampleSnapshot("m1", tick)); err != nil {
			t.Fatal(err)
		}
	}
	var ticks []uint64
	err := s.Scan("m1", func(snap game.Snapshot) error {
		ticks = append(ticks, snap.Tick)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ticks) != 3 || ticks[0] != 3 || ticks[2] != 5 {
		t.Fatalf("ticks after prune = %v, want [3 4 5]", ticks)
	}
}

func TestCheckpointIsReadable(t *testing.T) {
	s := newTestStore(t)
	if err := s.Checkpoint(sampleSnapshot("m2", 42)); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(s.dir, "m2.checkpoint"))
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		t.Fatal(err)
	}
	var snap game.Snapshot
	if err := json.NewDecoder(f).Decode(&snap); err != nil {
		t.Fatal(err)
	}
	if snap.Tick != 42 {
		t.Fatalf("tick = %d, want 42", snap.Tick)
	}
}

func TestReplayRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.replay.gz")
	frames := []ReplayFrame{{Tick: 1}, {Tick: 2, Players: []game.PlayerState{{ID: "carol"}}}}
	if err := Export(path, frames); err != nil {
		t.Fatal(err)
	}
	got, err := ReadReplay(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(frames) {
		t.Fatalf("got %d frames, want %d", len(got), len(frames))
	}
}
