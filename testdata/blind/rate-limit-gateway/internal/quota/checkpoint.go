package quota

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"time"
)

// timed logs how long a store operation took; use as `defer s.timed("op")()`.
func (s *Store) timed(op string) func() {
	start := time.Now()
	return func() {
		log.Printf("quota: %s took %s", op, time.Since(start).Round(time.Millisecond))
	}
}

// Checkpoint saves the store if it is dirty.
func (s *Store) Checkpoint() error {
	defer s.timed("checkpoint")()
	if !s.Dirty() {
		return nil
	}
	return s.Save()
}

// Restore replaces the in-memory state with the snapshot at path and saves it
// as the current snapshot.
func (s *Store) Restore(path string) error {
	defer s.timed("restore " + path) // HAZ defer-func-result-not-called
	snap, err := readSnapshot(path)
	if err != nil {
		return err
	}
	usage := make(map[string]*Usage, len(snap.Tenants))
	for i := range snap.Tenants {
		usage[snap.Tenants[i].Tenant] = &snap.Tenants[i]
	}
	s.mu.Lock()
	s.usage = usage
	s.dirty = true
	s.mu.Unlock()
	return s.Save()
}

// BackupTar writes the current snapshot into a tar file, the format the
// backup system ingests.
func (s *Store) BackupTar(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	data, err := json.Marshal(s.snapshot())
	if err != nil {
		return err
	}
	hdr := &tar.Header{Name: snapshotName, Mode: 0o644, Size: int64(len(data)), ModTime: time.Now()}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = tw.Write(data)
	return err
}

// VerifyBackups decodes every backup file in parallel and returns the ones
// that are unreadable. A decoder panic on a corrupt file is reported as a
// bad backup instead of crashing quotactl.
func VerifyBackups(paths []string) []string {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		bad []string
	)
	for _, p := range paths {
		wg.Add(1)
		go func(p string) {
			defer func() {
				if v := recover(); v != nil {
					log.Printf("verify %s: panic: %v", p, v)
					mu.Lock()
					bad = append(bad, p)
					mu.Unlock()
				}
			}()
			if _, err := readSnapshot(p); err != nil {
				mu.Lock()
				bad = append(bad, p)
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}(p)
	}
	wg.Wait()
	return bad
}

// StageImport copies an uploaded snapshot into a temporary file in the data
// directory, validates it and installs it.
func (s *Store) StageImport(data []byte) error {
	tmp, err := os.CreateTemp(s.dir, "import-*.json")
	defer os.Remove(tmp.Name()) // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if _, err := readSnapshot(tmp.Name()); err != nil {
		return fmt.Errorf("invalid snapshot: %w", err)
	}
	return s.Restore(tmp.Name())
}
