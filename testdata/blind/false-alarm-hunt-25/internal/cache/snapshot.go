package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"example.com/fah25/api"
)

// Snapshot is a point-in-time copy of a store, used for checkpoints and debugging.
type Snapshot struct {
	ResourceVersion string
	TakenAt         time.Time
	Keys            []string
	Objects         map[string]api.Object
}

// Snapshot copies the store under its read lock.
func (s *ThreadSafeStore) Snapshot() *Snapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sn := &Snapshot{
		ResourceVersion: s.resourceVersion,
		TakenAt:         time.Now(),
		Objects:         make(map[string]api.Object, len(s.items)),
	}
	for k, v := range s.items {
		sn.Keys = append(sn.Keys, k)
		sn.Objects[k] = v.DeepCopyObject()
	}
	sort.Strings(sn.Keys)
	return sn
}

// SaveTo writes the snapshot as JSON, replacing path atomically.
func (sn *Snapshot) SaveTo(path string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".checkpoint-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, os.Remove(tmp.Name()))
		}
	}()
	defer func() { err = errors.Join(err, tmp.Close()) }()

	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sn); err != nil {
		return fmt.Errorf("cache: encode checkpoint: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
