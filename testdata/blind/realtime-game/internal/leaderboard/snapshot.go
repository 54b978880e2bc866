package leaderboard

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"example.com/realtimegame/internal/telemetry"
)

type snapshotFile struct {
	Version uint64    `json:"version"`
	Taken   time.Time `json:"taken"`
	Entries []Entry   `json:"entries"`
}

func (b *Board) data() snapshotFile {
	b.mu.RLock()
	defer b.mu.RUnlock()
	snap := snapshotFile{Version: b.version, Taken: time.Now().UTC(), Entries: make([]Entry, 0, len(b.entries))}
	for _, e := range b.entries {
		snap.Entries = append(snap.Entries, *e)
	}
	sortEntries(snap.Entries)
	return snap
}

// SaveSnapshot writes the board to path as indented JSON.
func (b *Board) SaveSnapshot(path string) error {
	snap := b.data()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(snap)
}

// SaveSnapshotAtomic writes the board to a temporary file, syncs it and
// renames it over path, so readers never see a torn snapshot.
func (b *Board) SaveSnapshotAtomic(path string) (err error) {
	defer telemetry.Trace("leaderboard.snapshot")()
	snap := b.data()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".board-*.json")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := json.NewEncoder(tmp).Encode(snap); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	b.markClean(snap.Version)
	return nil
}

// writeJSONFile writes v to path, reporting the close error too.
func writeJSONFile(path string, v any) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(f).Encode(v)
}

// Load reads a snapshot written by SaveSnapshot or SaveSnapshotAtomic.
func Load(path string) (*Board, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var snap snapshotFile
	if err := json.NewDecoder(f).Decode(&snap); err != nil {
		return nil, fmt.Errorf("leaderboard %s: %w", path, err)
	}
	b := New()
	for i := range snap.Entries {
		e := snap.Entries[i]
		b.entries[e.PlayerID] = &e
	}
	b.version, b.saved = snap.Version, snap.Version
	return b, nil
}

// SnapshotPath names the snapshot taken at t inside dir.
func SnapshotPath(dir string, t time.Time) string {
	return filepath.Join(dir, "board-"+t.UTC().Format("20060102T150405Z")+".json")
}

// LoadLatest loads the newest snapshot in dir, or returns an empty board when
// there is none.
func LoadLatest(dir string) (*Board, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "board-*.json"))
	if err != nil {
		return nil, err
	}
	if len(matches) == 0 {
		return New(), nil
	}
	sort.Strings(matches)
	return Load(matches[len(matches)-1])
}

// SnapshotLoop saves the board every interval while it is dirty, and once
// more when ctx is cancelled.
func (b *Board) SnapshotLoop(ctx context.Context, dir string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := b.saveIfDirty(dir); err != nil {
				log.Printf("leaderboard: final snapshot: %v", err)
			}
			return
		case <-t.C:
			if err := b.saveIfDirty(dir); err != nil {
				log.Printf("leaderboard: snapshot: %v", err)
			}
		}
	}
}

func (b *Board) saveIfDirty(dir string) error {
	if dirty, _ := b.Dirty(); !dirty {
		return nil
	}
	path := SnapshotPath(dir, time.Now())
	if err := b.SaveSnapshotAtomic(path); err != nil {
		return err
	}
	return writeJSONFile(filepath.Join(dir, "latest.json"), map[string]string{"path": filepath.Base(path)})
}

// ExportCSV writes the full standings as CSV for the community site.
func (b *Board) ExportCSV(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"rank", "player_id", "name", "score", "wins", "losses"}); err != nil {
		return err
	}
	for i, e := range b.Top(0) {
		row := []string{
			strconv.Itoa(i + 1), e.PlayerID, e.Name,
			strconv.FormatInt(e.Score, 10), strconv.Itoa(e.Wins), strconv.Itoa(e.Losses),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return f.Close()
}

// PruneSnapshots keeps the newest keep snapshots in dir.
func PruneSnapshots(dir string, keep int) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), "board-") && strings.HasSuffix(e.Name(), ".json") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	removed := 0
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil && !errors.Is(err, os.ErrNotExist) {
			return removed, err
		}
		names = names[1:]
		removed++
	}
	return removed, nil
}
