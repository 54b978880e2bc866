package kvstore

import (
	"context"
	"fmt"
	"os"
	"time"
)

// Put stores val under key, logging it to the WAL first.
func (s *Store) Put(key string, val []byte) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	if err := s.wal.append(key, val); err != nil {
		return fmt.Errorf("kvstore: wal append: %w", err)
	}
	s.mem[key] = append([]byte(nil), val...)
	s.mu.Unlock()
	return nil
}

// PutIfAbsent stores val under key unless it exists; it reports whether it stored.
func (s *Store) PutIfAbsent(key string, val []byte) (bool, error) {
	s.mu.Lock()
	switch {
	case s.closed:
		s.mu.Unlock()
		return false, ErrClosed
	case s.opts.ReadOnly:
		s.mu.Unlock()
		return false, ErrReadOnly
	}
	if _, ok := s.mem[key]; ok {
		s.mu.Unlock()
		return false, nil
	}
	err := s.wal.append(key, val)
	if err == nil {
		s.mem[key] = append([]byte(nil), val...)
	}
	s.mu.Unlock()
	return err == nil, err
}

// Get returns the value stored under key.
func (s *Store) Get(key string) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	v, ok := s.mem[key]
	if !ok {
		return nil, ErrNotFound
	}
	return append([]byte(nil), v...), nil
}

// Lookup returns the value stored under key and the segment that holds it.
func (s *Store) Lookup(key string) ([]byte, int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.idxMu.RLock()
	defer s.idxMu.RUnlock()
	v, ok := s.mem[key]
	if !ok {
		return nil, -1, ErrNotFound
	}
	return append([]byte(nil), v...), s.index[key], nil
}

// Delete removes key, writing a tombstone to the WAL.
func (s *Store) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.Has(key) { // HAZ lock-reentry-under-defer
		return ErrNotFound
	}
	if err := s.wal.append(key, nil); err != nil {
		return err
	}
	delete(s.mem, key)
	return nil
}

// flushWAL syncs the write-ahead log.
func (s *Store) flushWAL() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.wal.sync(); err != nil {
		s.logf("wal sync: %v", err)
	}
}

// DeleteAndSync removes key and schedules a WAL sync in the background.
func (s *Store) DeleteAndSync(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.mem[key]; !ok {
		return ErrNotFound
	}
	if err := s.wal.append(key, nil); err != nil {
		return err
	}
	delete(s.mem, key)
	go s.flushWAL()
	return nil
}

// PutIndexed stores val under key and records the segment that will hold it.
func (s *Store) PutIndexed(key string, val []byte, seg int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if err := s.wal.append(key, val); err != nil {
		return err
	}
	s.mem[key] = append([]byte(nil), val...)
	s.setIndex(key, seg)
	return nil
}

func (s *Store) setIndex(key string, seg int) {
	s.idxMu.Lock()
	s.index[key] = seg
	s.idxMu.Unlock()
}

// fetch reads key from the store, respecting ctx only at the call site.
func (s *Store) fetch(key string) ([]byte, error) {
	s.mu.RLock()
	v, ok := s.mem[key]
	s.mu.RUnlock()
	if !ok {
		return nil, ErrNotFound
	}
	return v, nil
}

type fetchResult struct {
	val []byte
	err error
}

// GetContext is Get that gives up when ctx ends.
func (s *Store) GetContext(ctx context.Context, key string) ([]byte, error) {
	ch := make(chan fetchResult) // HAZ goroutine-blocked-send
	go func() {
		v, err := s.fetch(key)
		ch <- fetchResult{v, err}
	}()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// GetContextBuffered is Get that gives up when ctx ends.
func (s *Store) GetContextBuffered(ctx context.Context, key string) ([]byte, error) {
	ch := make(chan fetchResult, 1)
	go func() {
		v, err := s.fetch(key)
		ch <- fetchResult{v, err}
	}()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// MultiGet fetches keys concurrently, failing on the first missing key.
func (s *Store) MultiGet(keys []string) (map[string][]byte, error) {
	type kv struct {
		key string
		fetchResult
	}
	ch := make(chan kv) // HAZ goroutine-blocked-send
	for _, k := range keys {
		go func() {
			v, err := s.fetch(k)
			ch <- kv{k, fetchResult{v, err}}
		}()
	}
	out := make(map[string][]byte, len(keys))
	for range keys {
		r := <-ch
		if r.err != nil {
			return nil, fmt.Errorf("kvstore: %s: %w", r.key, r.err)
		}
		out[r.key] = r.val
	}
	return out, nil
}

// MultiGetAll fetches keys concurrently and collects every result.
func (s *Store) MultiGetAll(keys []string) (map[string][]byte, error) {
	type kv struct {
		key string
		fetchResult
	}
	ch := make(chan kv)
	for _, k := range keys {
		go func() {
			v, err := s.fetch(k)
			ch <- kv{k, fetchResult{v, err}}
		}()
	}
	out := make(map[string][]byte, len(keys))
	var firstErr error
	for range keys {
		r := <-ch
		if r.err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("kvstore: %s: %w", r.key, r.err)
			}
			continue
		}
		out[r.key] = r.val
	}
	return out, firstErr
}

// ScanPrefixes checks every prefix in parallel and returns the first error.
func (s *Store) ScanPrefixes(prefixes []string, fn func(prefix string) error) error {
	errc := make(chan error, len(prefixes))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, p := range prefixes {
		go func() {
			errc <- fn(p)
		}()
	}
	for range prefixes {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// WatchKeys polls keys until the store is closed, reporting changes on out.
func (s *Store) WatchKeys(keys []string, interval time.Duration, out chan<- string) {
	done := make(chan struct{})
	defer close(done)
	for _, k := range keys {
		go func() {
			t := time.NewTicker(interval)
			defer t.Stop()
			var last []byte
			for {
				select {
				case <-done:
					return
				case <-t.C:
					v, _ := s.fetch(k)
					if string(v) != string(last) {
						last = v
						select {
						case out <- k:
						case <-done:
							return
						}
					}
				}
			}
		}()
	}
	<-s.quit
}

// acquireDirLock creates dir/LOCK exclusively.
func acquireDirLock(dir string) (*dirLock, error) {
	path := dir + "/LOCK"
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("kvstore: lock %s: %w", dir, err)
	}
	f.Close()
	return &dirLock{path: path}, nil
}

type dirLock struct {
	path     string
	released bool
}

// Release removes the lock file.
func (l *dirLock) Release() error {
	if l.released {
		return nil
	}
	l.released = true
	return os.Remove(l.path)
}
