package session

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Save writes all sessions to path atomically: a temporary file in the same
// directory is synced, closed and renamed over path.
func (s *Store) Save(path string) (err error) {
	snap := s.snapshot()
	f, err := os.CreateTemp(filepath.Dir(path), ".sessions-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	defer f.Close()

	if err := json.NewEncoder(f).Encode(snap); err != nil {
		return fmt.Errorf("session: encoding: %w", err)
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Load replaces the store's contents with the sessions saved at path. A
// missing file is not an error: the server starts with no sessions.
func (s *Store) Load(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()

	var snap []Session
	if err := json.NewDecoder(f).Decode(&snap); err != nil {
		return fmt.Errorf("session: decoding %s: %w", path, err)
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
	for i := range snap {
		if now.Before(snap[i].Expires) {
			s.sessions[snap[i].ID] = &snap[i]
		}
	}
	return nil
}

// ExportCSV writes one row per session for the support team.
func (s *Store) ExportCSV(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"id", "user_id", "expires"}); err != nil {
		return err
	}
	for _, sess := range s.snapshot() {
		if err := cw.Write([]string{sess.ID, sess.UserID, sess.Expires.Format(time.RFC3339)}); err != nil {
			return err
		}
	}
	return nil
}
