package session

import (
	"bufio"
	"compress/gzip"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
)

// snapshotVersion is bumped when Session changes shape.
const snapshotVersion = 2

type snapshot struct {
	Version  int
	Sessions []Session
}

// sessions copies the table under the read lock.
func (s *Store) sessions() []Session {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Session, 0, len(s.byToken))
	for _, sess := range s.byToken {
		out = append(out, *sess)
	}
	return out
}

// SaveTo writes every session to path so a restart keeps players logged
// in. Both the buffered writer and the file are flushed and closed with
// their errors returned through the named result.
func (s *Store) SaveTo(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	if err := gob.NewEncoder(bw).Encode(snapshot{Version: snapshotVersion, Sessions: s.sessions()}); err != nil {
		return fmt.Errorf("encode sessions: %w", err)
	}
	return bw.Flush()
}

// ExportText writes one "token player region expires" line per session,
// for support staff.
func (s *Store) ExportText(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, sess := range s.sessions() {
		if _, err := fmt.Fprintf(bw, "%s %s %s %s\n", sess.Token[:8], sess.PlayerID, sess.Region, sess.Expires.Format("2006-01-02T15:04:05Z07:00")); err != nil {
			return err
		}
	}
	return nil
}

// SaveCompressed is SaveTo with gzip, for large session tables.
func (s *Store) SaveCompressed(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	return gob.NewEncoder(zw).Encode(snapshot{Version: snapshotVersion, Sessions: s.sessions()})
}

// Checkpoint saves to a temporary file and renames it over path, so a
// crash never leaves a half-written snapshot.
func (s *Store) Checkpoint(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".sessions-*.tmp")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // no-op after a successful rename
	defer tmp.Close()
	if err := gob.NewEncoder(tmp).Encode(snapshot{Version: snapshotVersion, Sessions: s.sessions()}); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmpName, path)
}

// LoadFrom restores sessions saved by SaveTo. The file is only read.
func (s *Store) LoadFrom(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var snap snapshot
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&snap); err != nil {
		return 0, fmt.Errorf("decode %s: %w", path, err)
	}
	if snap.Version != snapshotVersion {
		return 0, fmt.Errorf("%s: snapshot version %d, want %d", path, snap.Version, snapshotVersion)
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for i := range snap.Sessions {
		sess := snap.Sessions[i]
		if now.After(sess.Expires) {
			continue
		}
		s.byToken[sess.Token] = &sess
		s.pins[sess.Token] = new(atomic.Int32)
		n++
	}
	return n, nil
}
