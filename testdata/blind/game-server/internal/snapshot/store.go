// Package snapshot persists match state: periodic checkpoints while a match
// runs, archived final snapshots, and compressed replays.
package snapshot

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"example.com/gamesrv/internal/game"
)

// ErrNoSnapshot is returned when a match has nothing on disk.
var ErrNoSnapshot = errors.New("snapshot: no snapshot for match")

// Store keeps snapshot files in one directory:
//
//	<match>-<tick>.json      archived snapshots (kept: the newest `keep`)
//	<match>.checkpoint       the latest mid-match checkpoint
type Store struct {
	dir    string
	keep   int
	logger *log.Logger

	mu sync.Mutex // serialises pruning
}

// NewStore opens (and creates) a snapshot directory.
func NewStore(dir string, keep int, logger *log.Logger) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	if keep <= 0 {
		keep = 10
	}
	return &Store{dir: dir, keep: keep, logger: logger}, nil
}

func (s *Store) path(matchID string, tick uint64) string {
	return filepath.Join(s.dir, fmt.Sprintf("%s-%012d.json", matchID, tick))
}

func (s *Store) checkpointPath(matchID string) string {
	return filepath.Join(s.dir, matchID+".checkpoint")
}

// Save writes snap atomically: temp file, fsync, rename.
func (s *Store) Save(snap game.Snapshot) error {
	tmp, err := os.CreateTemp(s.dir, ".snap-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	defer tmp.Close()

	if err := json.NewEncoder(tmp).Encode(snap); err != nil {
		return fmt.Errorf("snapshot: encode %s: %w", snap.MatchID, err)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.path(snap.MatchID, snap.Tick))
}

// Archive implements game.Archiver.
func (s *Store) Archive(snap game.Snapshot) error {
	if err := s.Save(snap); err != nil {
		return err
	}
	return s.prune(snap.MatchID)
}

// Checkpoint overwrites the match's checkpoint. It runs every few seconds
// during a match, so it skips the temp-file dance.
func (s *Store) Checkpoint(snap game.Snapshot) error {
	f, err := os.OpenFile(s.checkpointPath(snap.MatchID), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	bw := bufio.NewWriter(f)
	if err := json.NewEncoder(bw).Encode(snap); err != nil {
		return err
	}
	return bw.Flush()
}

// Load reads one snapshot file.
func (s *Store) Load(path string) (game.Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return game.Snapshot{}, err
	}
	defer f.Close()
	var snap game.Snapshot
	if err := json.NewDecoder(bufio.NewReader(f)).Decode(&snap); err != nil {
		return game.Snapshot{}, fmt.Errorf("snapshot: %s: %w", filepath.Base(path), err)
	}
	return snap, nil
}

// LoadAll reads every archived snapshot of a match, oldest first.
func (s *Store) LoadAll(matchID string) ([]game.Snapshot, error) {
	paths, err := s.list(matchID)
	if err != nil {
		return nil, err
	}
	out := make([]game.Snapshot, 0, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		var snap game.Snapshot
		if err := json.NewDecoder(f).Decode(&snap); err != nil {
			return nil, fmt.Errorf("snapshot: %s: %w", filepath.Base(p), err)
		}
		out = append(out, snap)
	}
	return out, nil
}

// Scan calls fn for each archived snapshot of a match, oldest first, holding
// at most one file open at a time.
func (s *Store) Scan(matchID string, fn func(game.Snapshot) error) error {
	paths, err := s.list(matchID)
	if err != nil {
		return err
	}
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			var snap game.Snapshot
			if err := json.NewDecoder(f).Decode(&snap); err != nil {
				return fmt.Errorf("snapshot: %s: %w", filepath.Base(p), err)
			}
			return fn(snap)
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// list returns the archived snapshot files of a match, oldest first.
func (s *Store) list(matchID string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(s.dir, matchID+"-*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths) // zero-padded ticks sort chronologically
	return paths, nil
}

func (s *Store) latest(matchID string) (game.Snapshot, error) {
	paths, err := s.list(matchID)
	if err != nil {
		return game.Snapshot{}, err
	}
	if len(paths) == 0 {
		return game.Snapshot{}, ErrNoSnapshot
	}
	return s.Load(paths[len(paths)-1])
}

// Restore returns the freshest state of a match for crash recovery: its
// checkpoint if there is one, else its newest archived snapshot.
func (s *Store) Restore(matchID string) (game.Snapshot, error) {
	f, err := os.Open(s.checkpointPath(matchID))
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return s.latest(matchID)
		}
		return game.Snapshot{}, err
	}
	var snap game.Snapshot
	if err := json.NewDecoder(f).Decode(&snap); err != nil {
		s.logger.Printf("snapshot: corrupt checkpoint for %s, falling back: %v", matchID, err)
		return s.latest(matchID)
	}
	return snap, nil
}

// prune deletes all but the newest s.keep archived snapshots of a match.
func (s *Store) prune(matchID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	paths, err := s.list(matchID)
	if err != nil {
		return err
	}
	var errs []error
	for len(paths) > s.keep {
		if err := os.Remove(paths[0]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
		paths = paths[1:]
	}
	return errors.Join(errs...)
}

// PersistFinal archives the final state of a match and drops its checkpoint.
func (s *Store) PersistFinal(m *game.Match) error {
	var err error
	defer s.logOutcome(m.ID(), err) // HAZ defer-eager-evaluation
	if err = s.Archive(m.Snapshot()); err != nil {
		return err
	}
	err = s.removeCheckpoint(m.ID())
	return err
}

func (s *Store) logOutcome(matchID string, err error) {
	if err != nil {
		s.logger.Printf("snapshot: persisting %s failed: %v", matchID, err)
		return
	}
	s.logger.Printf("snapshot: %s persisted", matchID)
}

func (s *Store) removeCheckpoint(matchID string) error {
	err := os.Remove(s.checkpointPath(matchID))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Verify checks that every archived snapshot of a match decodes and that
// ticks strictly increase.
func (s *Store) Verify(matchID string) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("snapshot: verify %s: %w", matchID, err)
		}
	}()
	var last uint64
	err = s.Scan(matchID, func(snap game.Snapshot) error {
		if snap.Tick <= last && last != 0 {
			return fmt.Errorf("tick %d after %d", snap.Tick, last)
		}
		last = snap.Tick
		return nil
	})
	return err
}

// Matches lists the ids of matches that have archived snapshots.
func (s *Store) Matches() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool)
	var ids []string
	for _, e := range entries {
		name := e.Name()
		i := strings.LastIndexByte(name, '-')
		if e.IsDir() || i <= 0 || !strings.HasSuffix(name, ".json") {
			continue
		}
		if id := name[:i]; !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids, nil
}
