package pqueue

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

type snapItem[T any] struct {
	Value    T   `json:"value"`
	Priority int `json:"priority"`
}

func toSnap[T any](items []Item[T]) []snapItem[T] {
	out := make([]snapItem[T], len(items))
	for i, it := range items {
		out[i] = snapItem[T]{Value: it.Value, Priority: it.Priority}
	}
	return out
}

// SaveSnapshot writes the queued items to path as JSON.
func SaveSnapshot[T any](q *Queue[T], path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(toSnap(q.Items()))
}

// SaveSnapshotAtomic writes to a temporary file, syncs it and renames it over path.
func SaveSnapshotAtomic[T any](q *Queue[T], path string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pqueue-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	defer tmp.Close() // ok: the success path below closes and checks explicitly
	if err := json.NewEncoder(tmp).Encode(toSnap(q.Items())); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadSnapshot pushes the items stored at path into q.
func LoadSnapshot[T any](q *Queue[T], path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return 0, nil
		}
		return 0, err
	}
	defer f.Close() // ok: read-only
	var items []snapItem[T]
	if err := json.NewDecoder(f).Decode(&items); err != nil {
		return 0, err
	}
	for i, it := range items {
		if !q.TryPushChecked(it.Value, it.Priority) {
			return i, ErrClosed
		}
	}
	return len(items), nil
}

// TryPushChecked is TryPush with the unlock deferred.
func (q *Queue[T]) TryPushChecked(v T, prio int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || len(q.h) >= q.capacity {
		return false
	}
	q.pushLocked(v, prio)
	return true
}
