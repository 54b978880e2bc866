package quota

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"time"
)

// journalEntry is one line of the usage journal.
type journalEntry struct {
	Time  time.Time `json:"time"`
	User  string    `json:"user"`
	Used  int64     `json:"used"`
	Limit int64     `json:"limit"`
}

// AppendJournal appends the current usage of every account to the journal
// file, one JSON object per line, and fsyncs it.
func AppendJournal(path string, snap map[string]Usage, now time.Time) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for user, u := range snap {
		if err := enc.Encode(journalEntry{Time: now, User: user, Used: u.Used, Limit: u.Limit}); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// JournalEvery appends a usage snapshot to path at every tick, for the
// life of the process. The lock is held while writing so that the
// snapshot and the journal line agree.
func (m *Manager) JournalEvery(path string, every time.Duration) {
	t := time.NewTicker(every)
	for now := range t.C {
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-infinite-loop
		if err := AppendJournal(path, m.snapshotLocked(), now); err != nil {
			log.Printf("quota: journal %s: %v", path, err)
		}
	}
}

// ExportJSON writes the current usage of all accounts to path as one JSON
// document, for the billing export.
func (m *Manager) ExportJSON(path string) error {
	snap := m.Snapshot()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(snap)
}

// ReadJournal replays a journal; later entries win.
func ReadJournal(path string) (map[string]Usage, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]Usage{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()

	out := make(map[string]Usage)
	dec := json.NewDecoder(bufio.NewReader(f))
	for dec.More() {
		var e journalEntry
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("quota journal %s: %w", path, err)
		}
		out[e.User] = Usage{Limit: e.Limit, Used: e.Used}
	}
	return out, nil
}

// Restore loads replayed usage into the manager, keeping configured limits
// for users that already exist.
func (m *Manager) Restore(snap map[string]Usage) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for user, u := range snap {
		a, ok := m.users[user]
		if !ok {
			a = &account{limit: u.Limit}
			m.users[user] = a
		}
		a.used = u.Used
	}
}
