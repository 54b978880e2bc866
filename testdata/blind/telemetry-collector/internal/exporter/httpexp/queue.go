package httpexp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"example.com/otelcol/internal/pdata"
)

// spool keeps batches that could not be exported in a directory, one file
// per batch, so that they survive a restart.
type spool struct {
	dir string
	mu  sync.Mutex
	seq int
}

func newSpool(dir string) (*spool, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("httpexp: spool: %w", err)
	}
	return &spool{dir: dir}, nil
}

// Put writes b to a new spool file.
func (s *spool) Put(b pdata.Batch) (err error) {
	s.mu.Lock()
	s.seq++
	name := fmt.Sprintf("batch-%09d.json", s.seq)
	s.mu.Unlock()

	f, err := os.OpenFile(filepath.Join(s.dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(f).Encode(b)
}

// Names lists the spooled batch files, oldest first.
func (s *spool) Names() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), "batch-") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Read loads one spooled batch.
func (s *spool) Read(name string) (pdata.Batch, error) {
	f, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return pdata.Batch{}, err
	}
	defer f.Close()
	var b pdata.Batch
	if err := json.NewDecoder(f).Decode(&b); err != nil {
		return pdata.Batch{}, fmt.Errorf("spool %s: %w", name, err)
	}
	return b, nil
}

// Ack deletes a replayed batch and syncs the directory, so that a crash
// right after cannot resurrect it.
func (s *spool) Ack(name string) error {
	d, err := os.Open(s.dir)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := d.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err = os.Remove(filepath.Join(s.dir, name)); err != nil {
		return err
	}
	err = d.Sync()
	return err
}

// lock takes the spool's lock file so that two collectors never replay the
// same directory.
func (s *spool) lock() (release func(), err error) {
	path := filepath.Join(s.dir, ".lock")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("httpexp: spool %s is in use: %w", s.dir, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// replaySpool re-exports spooled batches before new data is accepted.
func (e *Exporter) replaySpool(ctx context.Context) error {
	var release func()
	if e.spool != nil {
		r, err := e.spool.lock()
		if err != nil {
			return err
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	if e.spool == nil {
		return nil
	}
	names, err := e.spool.Names()
	if err != nil {
		return err
	}
	for _, name := range names {
		b, err := e.spool.Read(name)
		if err != nil {
			return err
		}
		if err := e.exportBatch(ctx, b); err != nil {
			return fmt.Errorf("replay %s: %w", name, err)
		}
		if err := e.spool.Ack(name); err != nil {
			return err
		}
	}
	return nil
}

// spoolOrDrop keeps b on disk when a spool is configured.
func (e *Exporter) spoolOrDrop(b pdata.Batch) {
	if e.spool == nil {
		e.logger.Printf("httpexp: dropping batch of %d records", b.Len())
		return
	}
	if err := e.spool.Put(b); err != nil {
		e.logger.Printf("httpexp: spool: %v", err)
	}
}

// Spooled reports how many batches wait on disk; a nil release is replaced
// by a no-op so that the deferred call is always safe.
func (e *Exporter) Spooled() (int, error) {
	release := func() {}
	if e.spool != nil {
		r, err := e.spool.lock()
		if err != nil {
			return 0, err
		}
		release = r
	}
	defer release()
	if e.spool == nil {
		return 0, nil
	}
	names, err := e.spool.Names()
	return len(names), err
}

// FlushSpool re-exports spooled batches, par at a time.
func (e *Exporter) FlushSpool(ctx context.Context, par int) (int, error) {
	if e.spool == nil {
		return 0, nil
	}
	names, err := e.spool.Names()
	if err != nil {
		return 0, err
	}
	sem := make(chan struct{}, max(par, 1))
	var wg sync.WaitGroup
	var failed atomic.Int64
	for _, name := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func(name string) {
			b, err := e.spool.Read(name)
			if err != nil {
				e.logger.Printf("httpexp: spool: %v", err)
				failed.Add(1)
				<-sem
				return
			}
			if err := e.exportBatch(ctx, b); err != nil {
				failed.Add(1)
			} else if err := e.spool.Ack(name); err != nil {
				e.logger.Printf("httpexp: spool: %v", err)
			}
			<-sem
			wg.Done() // HAZ waitgroup-done-path
		}(name)
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		return len(names) - int(n), fmt.Errorf("httpexp: %d spooled batches still failing", n)
	}
	return len(names), nil
}

// Purge deletes every spooled batch, for operators who gave up on them.
func (s *spool) Purge() (int, error) {
	names, err := s.Names()
	if err != nil {
		return 0, err
	}
	d, err := os.Open(s.dir)
	if err != nil {
		return 0, err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := d.Sync(); err != nil {
			d.Close()
			return fmt.Errorf("sync %s: %w", s.dir, err)
		}
		return d.Close()
	}()
	n := 0
	for _, name := range names {
		if err := os.Remove(filepath.Join(s.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return n, err
		}
		n++
	}
	return n, nil
}
