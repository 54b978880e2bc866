// Package mirror keeps read-only mirrors of remote repositories up to date.
package mirror

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/vcscli/internal/fetch"
	"example.com/vcscli/internal/object"
)

// Mirror is one upstream to follow.
type Mirror struct {
	Name     string
	URL      string
	Interval time.Duration
}

// Syncer fetches every configured mirror into the local store.
type Syncer struct {
	store     *object.Store
	mirrors   []Mirror
	logger    *log.Logger
	hc        *http.Client
	statusURL string

	mu   sync.Mutex
	last map[string]time.Time
	errs map[string]error
	done chan string
}

// NewSyncer returns a syncer for mirrors.
func NewSyncer(store *object.Store, mirrors []Mirror, statusURL string, logger *log.Logger) *Syncer {
	return &Syncer{
		store:     store,
		mirrors:   mirrors,
		logger:    logger,
		hc:        &http.Client{Timeout: 30 * time.Second},
		statusURL: statusURL,
		last:      make(map[string]time.Time),
		errs:      make(map[string]error),
		done:      make(chan string),
	}
}

func (s *Syncer) find(name string) (Mirror, bool) {
	for _, m := range s.mirrors {
		if m.Name == name {
			return m, true
		}
	}
	return Mirror{}, false
}

func (s *Syncer) record(name string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last[name] = time.Now()
	s.errs[name] = err
}

// LastSync reports when name was last synced and how it went.
func (s *Syncer) LastSync(name string) (time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last[name], s.errs[name]
}

// syncOne fetches every ref of m.
func (s *Syncer) syncOne(ctx context.Context, m Mirror) error {
	client, err := fetch.NewClient(m.URL, "", 30*time.Second)
	if err != nil {
		return err
	}
	refs, err := client.ListRefs(ctx)
	if err != nil {
		return fmt.Errorf("mirror %s: %w", m.Name, err)
	}
	wants := make([]object.ID, 0, len(refs))
	for _, id := range refs {
		if !s.store.Has(id) {
			wants = append(wants, id)
		}
	}
	d := fetch.NewDownloader(client, s.store, 4, s.logger)
	_, err = d.SyncQuiet(ctx, wants)
	s.record(m.Name, err)
	return err
}

// SyncAll syncs every mirror concurrently; a crash is logged, not fatal.
func (s *Syncer) SyncAll(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.logger.Printf("mirror: sync crashed: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, m := range s.mirrors {
		wg.Add(1)
		go func(m Mirror) { // HAZ goroutine-outside-recover
			defer wg.Done()
			if err := s.syncOne(ctx, m); err != nil {
				s.logger.Printf("mirror: %v", err)
			}
		}(m)
	}
	wg.Wait()
}

// SyncEach syncs every mirror concurrently, each goroutine guarding itself.
func (s *Syncer) SyncEach(ctx context.Context) {
	var wg sync.WaitGroup
	for _, m := range s.mirrors {
		wg.Add(1)
		go func(m Mirror) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					s.logger.Printf("mirror %s: sync crashed: %v", m.Name, r)
				}
			}()
			if err := s.syncOne(ctx, m); err != nil {
				s.logger.Printf("mirror: %v", err)
			}
		}(m)
	}
	wg.Wait()
}

// SyncNamed syncs one mirror and announces it on the done channel.
func (s *Syncer) SyncNamed(ctx context.Context, name string) error {
	defer func() { s.done <- name }() // HAZ defer-blocking-call
	m, ok := s.find(name)
	if !ok {
		return fmt.Errorf("mirror: no mirror called %q", name)
	}
	return s.syncOne(ctx, m)
}

// WaitFor waits up to timeout for name to be announced.
func (s *Syncer) WaitFor(name string, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case got := <-s.done:
			if got == name {
				return true
			}
		case <-deadline.C:
			return false
		}
	}
}

// RunParallel syncs every mirror with a URL, in parallel.
func (s *Syncer) RunParallel(ctx context.Context) {
	var wg sync.WaitGroup
	for _, m := range s.mirrors {
		wg.Add(1)
		go func(m Mirror) {
			defer wg.Done()
			if m.URL == "" {
				s.logger.Printf("mirror %s: no url configured, skipping", m.Name)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if err := s.syncOne(ctx, m); err != nil {
				s.logger.Printf("mirror: %v", err)
			}
		}(m)
	}
	wg.Wait()
}

// Heartbeat reports liveness to the status URL forever.
func (s *Syncer) Heartbeat(interval time.Duration) {
	for {
		resp, err := s.hc.Post(s.statusURL, "text/plain", strings.NewReader("alive\n"))
		if err != nil {
			s.logger.Printf("heartbeat: %v", err)
			time.Sleep(interval)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		io.Copy(io.Discard, resp.Body)
		time.Sleep(interval)
	}
}

// Loop syncs each mirror on its own interval until ctx is done.
func (s *Syncer) Loop(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		for _, m := range s.mirrors {
			last, _ := s.LastSync(m.Name)
			if time.Since(last) < m.Interval {
				continue
			}
			func() {
				sctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
				defer cancel()
				if err := s.syncOne(sctx, m); err != nil && !errors.Is(err, context.Canceled) {
					s.logger.Printf("mirror: %v", err)
				}
			}()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Snapshot is the sync status of every mirror.
type Snapshot map[string]time.Time

// Print writes one line per mirror.
func (s Snapshot) Print(w io.Writer) {
	for name, at := range s {
		fmt.Fprintf(w, "%-20s %s\n", name, at.Format(time.RFC3339))
	}
}

func (s *Syncer) snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(Snapshot, len(s.last))
	for k, v := range s.last {
		out[k] = v
	}
	return out
}

// SyncAndReport syncs every mirror once and prints when each was synced.
func (s *Syncer) SyncAndReport(ctx context.Context, w io.Writer) {
	defer s.snapshot().Print(w) // HAZ defer-call-chain
	s.SyncEach(ctx)
}
