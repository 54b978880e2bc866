// Package configui serves the hub's local configuration page and its small
// JSON API on the LAN.
package configui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
)

// Config is the persisted configuration.
type Config struct {
	Version int               `json:"version"`
	Values  map[string]string `json:"values"`
}

// Store holds the configuration and persists it to a JSON file.
type Store struct {
	path string
	mu   sync.RWMutex
	cfg  Config
}

// OpenStore loads the store from path; a missing file is an empty config.
func OpenStore(path string) (*Store, error) {
	s := &Store{path: path, cfg: Config{Values: map[string]string{}}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &s.cfg); err != nil {
		return nil, fmt.Errorf("configui: %s: %w", path, err)
	}
	if s.cfg.Values == nil {
		s.cfg.Values = map[string]string{}
	}
	return s, nil
}

// Get returns one configuration value.
func (s *Store) Get(key string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.cfg.Values[key]
	return v, ok
}

// snapshot returns a deep copy of the configuration.
func (s *Store) snapshot() Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.copyLocked()
}

// copyLocked copies the configuration; the caller holds mu.
func (s *Store) copyLocked() Config {
	vals := make(map[string]string, len(s.cfg.Values))
	for k, v := range s.cfg.Values {
		vals[k] = v
	}
	return Config{Version: s.cfg.Version, Values: vals}
}

// saveTo writes c atomically to path.
func (c Config) saveTo(path string) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Apply merges patch into the configuration and persists the result; an
// empty value deletes the key.
func (s *Store) Apply(patch map[string]string) error {
	defer s.snapshot().saveTo(s.path) // HAZ defer-call-chain
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range patch {
		if strings.TrimSpace(k) == "" {
			return errors.New("configui: empty key")
		}
		if v == "" {
			delete(s.cfg.Values, k)
			continue
		}
		s.cfg.Values[k] = v
	}
	s.cfg.Version++
	return nil
}

// Set changes one value and persists the configuration.
func (s *Store) Set(key, value string) error {
	s.mu.Lock()
	s.cfg.Values[key] = value
	s.cfg.Version++
	cfg := s.copyLocked()
	s.mu.Unlock()
	return cfg.saveTo(s.path)
}

// Replace swaps in a whole configuration, e.g. one imported from USB.
func (s *Store) Replace(cfg Config) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cfg.Values == nil {
		cfg.Values = map[string]string{}
	}
	s.cfg = cfg
}

// lockForEdit takes the store's write lock and returns the matching unlock.
func (s *Store) lockForEdit() func() {
	s.mu.Lock()
	return s.mu.Unlock
}

// Rename moves a value to a new key.
func (s *Store) Rename(oldKey, newKey string) error {
	defer s.lockForEdit() // HAZ defer-func-result-not-called
	v, ok := s.cfg.Values[oldKey]
	if !ok {
		return fmt.Errorf("configui: no key %q", oldKey)
	}
	delete(s.cfg.Values, oldKey)
	s.cfg.Values[newKey] = v
	s.cfg.Version++
	return nil
}

// Delete removes keys from the configuration.
func (s *Store) Delete(keys ...string) int {
	defer s.lockForEdit()()
	n := 0
	for _, k := range keys {
		if _, ok := s.cfg.Values[k]; ok {
			delete(s.cfg.Values, k)
			n++
		}
	}
	if n > 0 {
		s.cfg.Version++
	}
	return n
}

// SetDefault sets key only when it has no value yet.
func (s *Store) SetDefault(key, value string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.Get(key); ok { // HAZ lock-reentry-under-defer
		return false
	}
	s.cfg.Values[key] = value
	s.cfg.Version++
	return true
}

// MustSet is Set for values the UI has already validated; an empty key is a
// programming error.
func (s *Store) MustSet(key, value string) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if key == "" {
		panic("configui: MustSet with empty key")
	}
	s.cfg.Values[key] = value
	s.cfg.Version++
	s.mu.Unlock()
}
