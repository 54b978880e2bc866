package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Store keeps one directory per container under root, each holding a
// state.json written atomically.
type Store struct {
	root string
}

// NewStore opens (and creates if needed) a store rooted at root.
func NewStore(root string) (*Store, error) {
	if err := os.MkdirAll(root, 0o711); err != nil {
		return nil, fmt.Errorf("state root: %w", err)
	}
	return &Store{root: root}, nil
}

// Dir returns the state directory of container id.
func (s *Store) Dir(id string) string { return filepath.Join(s.root, id) }

func (s *Store) statePath(id string) string { return filepath.Join(s.Dir(id), "state.json") }

// Save persists v as the state of container id.
func (s *Store) Save(id string, v any) error {
	if strings.ContainsAny(id, `/\`) || id == "" || id == "." || id == ".." {
		return fmt.Errorf("invalid container id %q", id)
	}
	if err := os.MkdirAll(s.Dir(id), 0o700); err != nil {
		return err
	}
	return WriteJSONAtomic(s.statePath(id), v, 0o600)
}

// Load decodes the state of container id into v.
func (s *Store) Load(id string, v any) error {
	return ReadJSON(s.statePath(id), v)
}

// Delete removes everything the store keeps for container id.
func (s *Store) Delete(id string) error {
	return os.RemoveAll(s.Dir(id))
}

// IDs lists the containers that have a state directory.
func (s *Store) IDs() ([]string, error) {
	entries, err := os.ReadDir(s.root)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			ids = append(ids, e.Name())
		}
	}
	return ids, nil
}

// LoadAll returns the raw state document of every container, keyed by id.
// The daemon calls it once at startup to rebuild its registry.
func (s *Store) LoadAll() (map[string]json.RawMessage, error) {
	ids, err := s.IDs()
	if err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, len(ids))
	for _, id := range ids {
		f, err := os.Open(s.statePath(id))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // created but never saved
			}
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		var raw json.RawMessage
		if err := json.NewDecoder(f).Decode(&raw); err != nil {
			return nil, fmt.Errorf("decode state of %s: %w", id, err)
		}
		out[id] = raw
	}
	return out, nil
}

// Stale returns the ids whose state file was not touched for longer than
// maxAge. Each file is opened and closed within its own iteration.
func (s *Store) Stale(maxAge time.Duration, now time.Time) ([]string, error) {
	ids, err := s.IDs()
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, id := range ids {
		err := func() error {
			f, err := os.Open(s.statePath(id))
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			if now.Sub(st.ModTime()) > maxAge {
				stale = append(stale, id)
			}
			return nil
		}()
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return stale, nil
}

// Backup copies the current state of id next to it as state.json.bak. The
// copy is what LoadOrBackup falls back to when an update was torn.
func (s *Store) Backup(id string) error {
	src, err := os.Open(s.statePath(id))
	if err != nil {
		return err
	}
	defer src.Close()

	dst, err := os.Create(s.statePath(id) + ".bak")
	if err != nil {
		return err
	}
	defer dst.Close()

	if _, err := io.Copy(dst, src); err != nil {
		return fmt.Errorf("backup %s: %w", id, err)
	}
	return dst.Close()
}

// LoadOrBackup decodes the state of id, falling back to the backup copy when
// the primary document does not decode.
func (s *Store) LoadOrBackup(id string, v any) error {
	f, err := os.Open(s.statePath(id))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if err = json.NewDecoder(f).Decode(v); err == nil {
		return nil
	}

	f, err = os.Open(s.statePath(id) + ".bak")
	if err != nil {
		return fmt.Errorf("state of %s is corrupt and has no backup: %w", id, err)
	}
	return json.NewDecoder(f).Decode(v)
}
