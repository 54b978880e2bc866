// Package leader implements lease-based leader election: one replica holds
// a lease and renews it from a background goroutine; the others wait for it
// to expire.
package leader

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrLeaseConflict is returned by CompareAndSwap when the stored lease is
// not the expected one.
var ErrLeaseConflict = errors.New("leader: lease changed concurrently")

// Lease is the record replicas compete for.
type Lease struct {
	Holder      string        `json:"holder"`
	AcquiredAt  time.Time     `json:"acquiredAt"`
	RenewedAt   time.Time     `json:"renewedAt"`
	Duration    time.Duration `json:"duration"`
	Transitions int           `json:"transitions"`
}

// Expired reports whether the lease is free at now.
func (l Lease) Expired(now time.Time) bool {
	return l.Holder == "" || now.After(l.RenewedAt.Add(l.Duration))
}

func sameLease(a, b Lease) bool {
	return a.Holder == b.Holder && a.RenewedAt.Equal(b.RenewedAt) && a.Transitions == b.Transitions
}

// Store persists leases with compare-and-swap semantics.
type Store interface {
	Get(ctx context.Context, name string) (Lease, error)
	CompareAndSwap(ctx context.Context, name string, old, next Lease) error
}

// MemoryStore is a Store for tests and single-process setups.
type MemoryStore struct {
	mu     sync.Mutex
	leases map[string]Lease
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{leases: make(map[string]Lease)}
}

// Get returns the lease called name; a missing lease is the zero Lease.
func (s *MemoryStore) Get(_ context.Context, name string) (Lease, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.leases[name], nil
}

// CompareAndSwap replaces old with next if old is still current.
func (s *MemoryStore) CompareAndSwap(_ context.Context, name string, old, next Lease) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !sameLease(s.leases[name], old) {
		return ErrLeaseConflict
	}
	s.leases[name] = next
	return nil
}

// FileStore keeps each lease in a JSON file on a shared volume.
type FileStore struct {
	dir string
	mu  sync.Mutex
}

// NewFileStore returns a store keeping leases in dir.
func NewFileStore(dir string) *FileStore { return &FileStore{dir: dir} }

func (s *FileStore) path(name string) string {
	return filepath.Join(s.dir, name+".lease.json")
}

// Get reads the lease called name; a missing file is the zero Lease.
func (s *FileStore) Get(_ context.Context, name string) (Lease, error) {
	f, err := os.Open(s.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return Lease{}, nil
	}
	if err != nil {
		return Lease{}, err
	}
	defer f.Close()
	var l Lease
	if err := json.NewDecoder(f).Decode(&l); err != nil {
		return Lease{}, fmt.Errorf("leader: decode %s: %w", f.Name(), err)
	}
	return l, nil
}

// CompareAndSwap replaces the lease file atomically if it still holds old.
func (s *FileStore) CompareAndSwap(ctx context.Context, name string, old, next Lease) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, err := s.Get(ctx, name)
	if err != nil {
		return err
	}
	if !sameLease(cur, old) {
		return ErrLeaseConflict
	}
	return writeFileAtomic(s.path(name), next)
}

// writeFileAtomic writes v as JSON to a temporary file, syncs it and renames
// it over path.
func writeFileAtomic(path string, v any) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lease-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := json.NewEncoder(tmp).Encode(v); err != nil {
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
	return os.Rename(tmp.Name(), path)
}
