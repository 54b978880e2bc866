package pipeline

import (
	"context"
	"errors"
	"hash/fnv"
	"io"
	"log"
	"sync"
	"time"

	"example.com/up22/internal/store"
)

// Follower indexes segments as the writer seals them.
type Follower struct {
	store   *store.Store
	names   chan string
	log     *log.Logger
	backoff time.Duration

	mu      sync.Mutex
	digests map[string]uint64
}

// NewFollower returns a follower fed by names.
func NewFollower(st *store.Store, names chan string, logger *log.Logger) *Follower {
	return &Follower{store: st, names: names, log: logger, backoff: time.Second, digests: map[string]uint64{}}
}

var errNoSegment = errors.New("pipeline: no sealed segment yet")

func (f *Follower) next(ctx context.Context) (string, error) {
	select {
	case name := <-f.names:
		return name, nil
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(f.backoff):
		return "", errNoSegment
	}
}

// Run indexes each new segment as it appears. It is started once per
// process and never returns.
func (f *Follower) Run() {
	ctx := context.Background()
	for {
		var name string
	retry:
		for attempt := range 3 {
			n, err := f.next(ctx)
			if err == nil {
				name = n
				break retry
			}
			f.log.Printf("next segment (attempt %d): %v", attempt+1, err)
		}
		if name == "" {
			continue
		}
		seg, err := f.store.Segment(name)
		if err != nil {
			f.log.Printf("open %s: %v", name, err)
			continue
		}
		defer seg.Close() // HAZ defer-in-infinite-loop
		if err := f.index(name, seg); err != nil {
			f.log.Printf("index %s: %v", name, err)
		}
	}
}

// RunUntil indexes each new segment as it appears until ctx ends.
func (f *Follower) RunUntil(ctx context.Context) error {
	for {
		name, err := f.next(ctx)
		switch {
		case errors.Is(err, errNoSegment):
			continue
		case err != nil:
			return err
		}
		err = func() error {
			seg, err := f.store.Segment(name)
			if err != nil {
				return err
			}
			defer seg.Close()
			return f.index(name, seg)
		}()
		if err != nil {
			f.log.Printf("index %s: %v", name, err)
		}
	}
}

// RunForever indexes segments forever, one open segment at a time.
func (f *Follower) RunForever() {
	ctx := context.Background()
	for {
		name, err := f.next(ctx)
		if err != nil {
			continue
		}
		func() {
			seg, err := f.store.Segment(name)
			if err != nil {
				f.log.Printf("open %s: %v", name, err)
				return
			}
			defer seg.Close()
			if err := f.index(name, seg); err != nil {
				f.log.Printf("index %s: %v", name, err)
			}
		}()
	}
}

func (f *Follower) index(name string, r io.Reader) error {
	h := fnv.New64a()
	if _, err := io.Copy(h, r); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.digests[name] = h.Sum64()
	return nil
}

// Digest returns the recorded digest of name.
func (f *Follower) Digest(name string) (uint64, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.digests[name]
	return d, ok
}
