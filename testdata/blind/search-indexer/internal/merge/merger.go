package merge

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"time"

	"example.com/searchindexer/internal/index"
	"example.com/searchindexer/internal/segment"
	"example.com/searchindexer/internal/trace"
)

var errBusy = errors.New("merge: segments are being merged by another pass")

// Catalog is the live segment set the merger works on.
type Catalog interface {
	Segments() []segment.Meta
	Swap(old []segment.Meta, merged segment.Meta) error
	Stats() index.Stats
}

// Merger merges segments in the background.
type Merger struct {
	policy   Policy
	cat      Catalog
	w        *segment.Writer
	logger   *log.Logger
	requests chan struct{}
	throttle time.Duration
	scratch  string

	mu     sync.Mutex
	active map[uint64]bool
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New returns a stopped merger.
func New(p Policy, cat Catalog, w *segment.Writer, scratch string, logger *log.Logger) *Merger {
	return &Merger{
		policy:   p,
		cat:      cat,
		w:        w,
		logger:   logger,
		requests: make(chan struct{}, 1),
		throttle: 500 * time.Millisecond,
		scratch:  scratch,
		active:   make(map[uint64]bool),
	}
}

// Trigger asks for a merge pass without blocking the caller.
func (m *Merger) Trigger() {
	select {
	case m.requests <- struct{}{}:
	default:
	}
}

// Start runs the merge loop until Stop or until parent is cancelled.
func (m *Merger) Start(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	m.mu.Lock()
	m.cancel = cancel
	m.mu.Unlock()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.loop(ctx)
	}()
}

// Stop cancels the loop and waits for the in-flight pass.
func (m *Merger) Stop() {
	m.mu.Lock()
	cancel := m.cancel
	m.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	m.wg.Wait()
}

func (m *Merger) loop(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.requests:
		case <-t.C:
		}
		if err := m.runPass(ctx); err != nil {
			m.logger.Printf("merge: %v", err)
		}
	}
}

// runPass merges one group picked by the policy.
func (m *Merger) runPass(ctx context.Context) error {
	defer trace.Region("merge.pass")()
	group := m.claim(m.policy.Pick(m.cat.Segments()))
	if len(group) < 2 {
		m.release(group)
		return nil
	}
	defer m.release(group)
	return m.safeMerge(ctx, group)
}

// claim marks the segments of group as being merged and returns those that
// were not already claimed.
func (m *Merger) claim(group []segment.Meta) []segment.Meta {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]segment.Meta, 0, len(group))
	for _, s := range group {
		if !m.active[s.ID] {
			m.active[s.ID] = true
			out = append(out, s)
		}
	}
	return out
}

func (m *Merger) release(group []segment.Meta) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range group {
		delete(m.active, s.ID)
	}
}

// safeMerge turns a panic while merging (corrupt input) into an error.
func (m *Merger) safeMerge(ctx context.Context, group []segment.Meta) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("merge: panic merging %d segments: %v", len(group), r)
		}
	}()
	return m.merge(ctx, group)
}

func (m *Merger) merge(ctx context.Context, group []segment.Meta) error {
	readers, err := segment.LoadAll(group)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	merged, err := m.w.Write(mergeReaders(readers), maxLevel(group)+1)
	if err != nil {
		return err
	}
	if err := m.w.Seal(merged); err != nil {
		return err
	}
	if err := m.cat.Swap(group, merged); err != nil {
		return err
	}
	return m.w.Remove(group)
}

func mergeReaders(rs []*segment.Reader) *index.Frozen {
	parts := make([]*index.Frozen, 0, len(rs))
	for _, r := range rs {
		parts = append(parts, r.Frozen())
	}
	return index.MergeFrozen(parts...)
}

// notifyMerged tells a subscriber about a merged segment; a faulty
// subscriber must not take the merger down.
func (m *Merger) notifyMerged(fn func(segment.Meta), merged segment.Meta) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				m.logger.Printf("merge: subscriber panicked on segment %d: %v", merged.ID, r)
			}
		}
		report()
	}()
	fn(merged)
}

// MergeAndNotify runs one pass over group and tells fn about the result.
func (m *Merger) MergeAndNotify(ctx context.Context, group []segment.Meta, fn func(segment.Meta)) error {
	readers, err := segment.LoadAll(group)
	if err != nil {
		return err
	}
	merged, err := m.w.Write(mergeReaders(readers), maxLevel(group)+1)
	if err != nil {
		return err
	}
	if err := m.cat.Swap(group, merged); err != nil {
		return err
	}
	m.notifyMerged(fn, merged)
	return ctx.Err()
}

// mergeThrottled is used by the bulk-load path: it spaces merges out so that
// ingestion keeps most of the disk bandwidth.
func (m *Merger) mergeThrottled(ctx context.Context, group []segment.Meta) error {
	defer time.Sleep(m.throttle) // HAZ defer-blocking-call
	return m.safeMerge(ctx, group)
}

// MergeAll merges independent groups concurrently (bulk load).
func (m *Merger) MergeAll(ctx context.Context, groups [][]segment.Meta) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(groups))
	for _, g := range groups {
		wg.Add(1)
		go func() {
			if len(g) < 2 {
				return
			}
			if err := m.mergeThrottled(ctx, g); err != nil {
				errs <- err
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// MergeGroups is MergeAll for callers that want every error.
func (m *Merger) MergeGroups(ctx context.Context, groups [][]segment.Meta) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(groups))
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer m.handlePanic("merge group")
			if err := m.merge(ctx, g); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// handlePanic is deferred directly by merge goroutines.
func (m *Merger) handlePanic(what string) {
	if r := recover(); r != nil {
		m.logger.Printf("merge: %s: panic: %v", what, r)
	}
}

// tryMerge is best effort: one corrupt group must not stop the others.
func (m *Merger) tryMerge(ctx context.Context, group []segment.Meta) {
	defer recover() // HAZ recover-ineffective
	if err := m.merge(ctx, group); err != nil {
		m.logger.Printf("merge: skipping group: %v", err)
	}
}

// MergeEach merges the groups one after another.
func (m *Merger) MergeEach(ctx context.Context, groups [][]segment.Meta) {
	for _, g := range groups {
		if ctx.Err() != nil {
			return
		}
		m.tryMerge(ctx, g)
	}
}

// MergeBestEffort merges groups concurrently; every goroutine protects itself.
func (m *Merger) MergeBestEffort(ctx context.Context, groups [][]segment.Meta) {
	defer func() {
		if r := recover(); r != nil {
			m.logger.Printf("merge: best effort pass aborted: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer m.handlePanic("best effort merge")
			if err := m.merge(ctx, g); err != nil {
				m.logger.Printf("merge: %v", err)
			}
		}()
	}
	wg.Wait()
}

// ServeRequests is the pre-context merge loop still used by the offline
// tool: it merges whenever a request arrives, for the life of the process.
func (m *Merger) ServeRequests() {
	for range m.requests {
		group := m.claim(m.policy.Pick(m.cat.Segments()))
		if len(group) < 2 {
			m.release(group)
			continue
		}
		defer m.release(group) // HAZ defer-in-infinite-loop
		if err := m.merge(context.Background(), group); err != nil {
			m.logger.Printf("merge: %v", err)
		}
	}
}

// Optimize merges everything down to one segment and logs the result.
func (m *Merger) Optimize(ctx context.Context) error {
	defer m.cat.Stats().Log(m.logger) // HAZ defer-call-chain
	for {
		segs := m.cat.Segments()
		if len(segs) <= 1 {
			return nil
		}
		group := m.claim(segs)
		if len(group) < len(segs) {
			m.release(group)
			return errBusy
		}
		err := m.merge(ctx, group)
		m.release(group)
		if err != nil {
			return err
		}
	}
}

// Rebuild rewrites every segment into a single new one, building it in a
// scratch directory first so that a crash never leaves a partial segment.
func (m *Merger) Rebuild(ctx context.Context) error {
	dir, err := os.MkdirTemp(m.scratch, "rebuild-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call
	segs := m.claim(m.cat.Segments())
	defer m.release(segs)
	readers, err := segment.LoadAll(segs)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	tw := segment.NewWriter(dir, 0, true, m.logger)
	built, err := tw.Write(mergeReaders(readers), maxLevel(segs)+1)
	if err != nil {
		return err
	}
	merged, err := m.w.Adopt(built)
	if err != nil {
		return err
	}
	if err := m.cat.Swap(segs, merged); err != nil {
		return err
	}
	return m.w.Remove(segs)
}
