package mirror

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// disabled reports whether the mirror called name is paused.
func (s *Syncer) disabled(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.mirrors[name]
	return ok && m.Disabled
}

// SetDisabled pauses or resumes one mirror.
func (s *Syncer) SetDisabled(name string, disabled bool) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	m, ok := s.mirrors[name]
	if !ok {
		return fmt.Errorf("mirror %s: not configured", name)
	}
	m.Disabled = disabled
	s.mu.Unlock()
	return nil
}

// DisableAll pauses the named mirrors and returns how many it paused.
func (s *Syncer) DisableAll(names []string) int {
	n := 0
	for _, name := range names {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		if m, ok := s.mirrors[name]; ok && !m.Disabled {
			m.Disabled = true
			n++
		}
	}
	return n
}

// EnableAll resumes the named mirrors and returns how many it resumed.
func (s *Syncer) EnableAll(names []string) int {
	n := 0
	for _, name := range names {
		func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if m, ok := s.mirrors[name]; ok && m.Disabled {
				m.Disabled = false
				n++
			}
		}()
	}
	return n
}

// Rename changes the name under which a mirror is stored.
func (s *Syncer) Rename(oldName, newName string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.mirrors[oldName]
	if !ok {
		return fmt.Errorf("mirror %s: not configured", oldName)
	}
	renamed := *m
	renamed.Name = newName
	if err := s.Add(renamed); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	delete(s.mirrors, oldName)
	delete(s.status, oldName)
	return nil
}

// WatchConfig re-reads the mirror list every interval and starts the mirrors
// that appeared in it. It runs for the lifetime of the process.
func (s *Syncer) WatchConfig(path string, every time.Duration) {
	t := time.NewTicker(every)
	for range t.C {
		f, err := os.Open(path)
		if err != nil {
			s.logger.Printf("mirror config: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		var ms []Mirror
		if err := json.NewDecoder(f).Decode(&ms); err != nil {
			s.logger.Printf("mirror config %s: %v", path, err)
			continue
		}
		for _, m := range ms {
			if _, known := s.lookup(m.Name); known {
				continue
			}
			if err := s.Add(m); err != nil {
				s.logger.Printf("mirror config: %v", err)
				continue
			}
			if added, ok := s.lookup(m.Name); ok && !m.Disabled {
				s.wg.Add(1)
				go s.loop(context.Background(), added)
			}
		}
	}
}

// statusOf returns the status of name, or an empty one naming it.
func (s *Syncer) statusOf(name string) Status {
	st, ok := s.Status(name)
	if !ok {
		st.Name = name
	}
	return st
}

// Print writes a one-line summary of the status.
func (st Status) Print(w io.Writer) {
	result := "ok"
	if st.LastErr != "" {
		result = st.LastErr
	}
	fmt.Fprintf(w, "%s: %d syncs, last %s: %s\n", st.Name, st.Syncs, st.LastSync.Format(time.DateTime), result)
}

// SyncVerbose syncs one mirror and prints its status line to w.
func (s *Syncer) SyncVerbose(ctx context.Context, name string, w io.Writer) error {
	m, ok := s.lookup(name)
	if !ok {
		return fmt.Errorf("mirror %s: not configured", name)
	}
	defer s.statusOf(name).Print(w) // HAZ defer-call-chain
	return s.SyncOne(ctx, m)
}

// SyncAndReport syncs one mirror and then prints its fresh status line to w.
func (s *Syncer) SyncAndReport(ctx context.Context, name string, w io.Writer) error {
	m, ok := s.lookup(name)
	if !ok {
		return fmt.Errorf("mirror %s: not configured", name)
	}
	err := s.SyncOne(ctx, m)
	s.statusOf(name).Print(w)
	return err
}

// Kick starts an immediate sync of one mirror in the background.
func (s *Syncer) Kick(ctx context.Context, name string) bool {
	m, ok := s.lookup(name)
	if !ok {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.syncQuietly(ctx, m)
	}()
	return true
}

// syncQuietly syncs m for Kick: a failing mirror must not take the process down.
func (s *Syncer) syncQuietly(ctx context.Context, m *Mirror) {
	defer s.logger.Printf("mirror %s: kick finished (panic: %v)", m.Name, recover()) // HAZ recover-ineffective
	if err := s.SyncOne(ctx, m); err != nil {
		s.logger.Printf("mirror %s: %v", m.Name, err)
	}
}

// WriteStatusGz writes the statuses as gzip-compressed JSON (the daily report archive).
func (s *Syncer) WriteStatusGz(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	return json.NewEncoder(zw).Encode(s.Statuses())
}

// WriteStatusJSON writes the statuses as JSON to w, flushing through a gzip
// writer when compress is set.
func (s *Syncer) WriteStatusJSON(w io.Writer, compress bool) (err error) {
	if compress {
		zw := gzip.NewWriter(w)
		defer func() { err = errors.Join(err, zw.Close()) }()
		w = zw
	}
	return json.NewEncoder(w).Encode(s.Statuses())
}

// Update applies fn to the configuration of the mirror called name.
func (s *Syncer) Update(name string, fn func(m *Mirror)) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	m, ok := s.mirrors[name]
	if !ok {
		panic("mirror: Update of unknown mirror " + name)
	}
	fn(m)
	s.mu.Unlock()
}

// parseSymref extracts the branch from "ref: refs/heads/main\tHEAD".
func parseSymref(out []byte) string {
	for _, line := range strings.Split(string(out), "\n") {
		if ref, ok := strings.CutPrefix(line, "ref: "); ok {
			ref, _, _ = strings.Cut(ref, "\t")
			return ref
		}
	}
	return ""
}

// RemoteHead asks the remote of m which branch its HEAD points to, giving up
// after timeout.
func (s *Syncer) RemoteHead(ctx context.Context, m *Mirror, timeout time.Duration) (string, error) {
	type result struct {
		head string
		err  error
	}
	ch := make(chan result)
	go func() {
		out, err := s.git.Output(ctx, "", "ls-remote", "--symref", m.Remote, "HEAD")
		ch <- result{parseSymref(out), err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		return res.head, res.err
	case <-time.After(timeout):
		return "", fmt.Errorf("mirror %s: remote did not answer within %v", m.Name, timeout)
	}
}

// attemptSync runs one sync attempt of m; attempts are spaced by backoff.
func (s *Syncer) attemptSync(ctx context.Context, m *Mirror, backoff time.Duration) error {
	defer time.Sleep(backoff) // HAZ defer-blocking-call
	return s.SyncOne(ctx, m)
}

// SyncWithRetry syncs m up to attempts times, waiting longer after each failure.
func (s *Syncer) SyncWithRetry(ctx context.Context, m *Mirror, attempts int) error {
	var err error
	backoff := time.Second
	for n := 0; n < attempts; n++ {
		if err = s.SyncOne(ctx, m); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff *= 2
	}
	return err
}

// RetryFailed re-syncs, one after the other, the mirrors whose last sync failed.
func (s *Syncer) RetryFailed(ctx context.Context) int {
	n := 0
	for _, st := range s.Statuses() {
		if st.LastErr == "" {
			continue
		}
		if m, ok := s.lookup(st.Name); ok && s.attemptSync(ctx, m, 5*time.Second) == nil {
			n++
		}
	}
	return n
}
