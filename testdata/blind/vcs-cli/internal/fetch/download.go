package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"sync"
	"time"

	"example.com/vcscli/internal/object"
)

// Stats summarises a download run.
type Stats struct {
	Objects int
	Bytes   int64
	Elapsed time.Duration
}

// Report prints the summary line shown at the end of `vcs fetch`.
func (s Stats) Report(w io.Writer) {
	fmt.Fprintf(w, "Received %d objects, %.1f KiB in %s\n", s.Objects, float64(s.Bytes)/1024, s.Elapsed.Round(time.Millisecond))
}

// Downloader copies objects from a remote into the local store using a
// fixed number of parallel requests.
type Downloader struct {
	c       *Client
	store   *object.Store
	workers int
	logger  *log.Logger

	onFinish func() // optional completion callback

	mu       sync.Mutex
	inflight map[object.ID]bool
	stats    Stats
	started  time.Time
}

// NewDownloader returns a downloader with the given parallelism.
func NewDownloader(c *Client, store *object.Store, workers int, logger *log.Logger) *Downloader {
	if workers < 1 {
		workers = 1
	}
	return &Downloader{c: c, store: store, workers: workers, logger: logger, inflight: make(map[object.ID]bool), started: time.Now()}
}

func (d *Downloader) logf(format string, args ...any) {
	if d.logger != nil {
		d.logger.Printf(format, args...)
	}
}

// Stats returns the counters of the current run.
func (d *Downloader) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.stats
	s.Elapsed = time.Since(d.started)
	return s
}

func (d *Downloader) reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stats = Stats{}
	d.started = time.Now()
}

// claim marks id as in flight; it returns false when the object is already
// present or another worker is fetching it.
func (d *Downloader) claim(id object.ID) bool {
	d.mu.Lock() // HAZ lock-leaked-on-return
	if d.inflight[id] || d.store.Has(id) {
		return false
	}
	d.inflight[id] = true
	d.mu.Unlock()
	return true
}

func (d *Downloader) release(id object.ID, n int) {
	d.mu.Lock()
	delete(d.inflight, id)
	if n > 0 {
		d.stats.Objects++
		d.stats.Bytes += int64(n)
	}
	d.mu.Unlock()
}

// fetchOne downloads id into the store unless it is already there.
func (d *Downloader) fetchOne(ctx context.Context, id object.ID) error {
	if !d.claim(id) {
		return nil
	}
	n := 0
	defer func() { d.release(id, n) }()
	kind, data, err := d.c.GetObject(ctx, id)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", id.Short(), err)
	}
	if _, err := d.store.Write(kind, data); err != nil {
		return err
	}
	n = len(data)
	return nil
}

// worker drains jobs into the store and reports failures on errs.
func (d *Downloader) worker(ctx context.Context, jobs <-chan object.ID, errs chan<- error) {
	defer recover() // HAZ recover-ineffective
	for id := range jobs {
		if err := d.fetchOne(ctx, id); err != nil {
			select {
			case errs <- err:
			default:
			}
		}
	}
}

// FetchAll downloads ids with d.workers parallel requests and returns the
// first error. All workers have exited when it returns.
func (d *Downloader) FetchAll(ctx context.Context, ids []object.ID) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan object.ID)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for i := 0; i < d.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.worker(ctx, jobs, errs)
		}()
	}
	var firstErr error
feed:
	for _, id := range ids {
		select {
		case jobs <- id:
		case firstErr = <-errs:
			cancel()
			break feed
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	select {
	case err := <-errs:
		return err
	default:
		return ctx.Err()
	}
}

// FetchEach downloads ids with one goroutine per object (used for small
// want lists) and returns all errors joined.
func (d *Downloader) FetchEach(ctx context.Context, ids []object.ID) error {
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = d.fetchOne(ctx, id)
		}()
		d.logf("queued %s", id.Short())
	}
	wg.Wait()
	return errors.Join(errs...)
}

// FetchEachCopy is FetchEach with the loop variables copied per iteration.
func (d *Downloader) FetchEachCopy(ctx context.Context, ids []object.ID) error {
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		i, id := i, id
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = d.fetchOne(ctx, id)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// fetchWithDeadline downloads one object but gives up after timeout.
func (d *Downloader) fetchWithDeadline(ctx context.Context, id object.ID, timeout time.Duration) (object.Kind, []byte, error) {
	type result struct {
		kind object.Kind
		data []byte
		err  error
	}
	ch := make(chan result)
	go func() {
		kind, data, err := d.c.GetObject(ctx, id)
		ch <- result{kind, data, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.kind, r.data, r.err
	case <-time.After(timeout):
		return 0, nil, fmt.Errorf("fetch %s: no answer after %s", id.Short(), timeout)
	}
}

// FetchCommit downloads a single commit object, used by `vcs fetch --depth 1`.
func (d *Downloader) FetchCommit(ctx context.Context, id object.ID) (*object.Commit, error) {
	kind, data, err := d.fetchWithDeadline(ctx, id, 30*time.Second)
	if err != nil {
		return nil, err
	}
	if kind != object.KindCommit {
		return nil, fmt.Errorf("fetch: %s is a %s, not a commit", id.Short(), kind)
	}
	if _, err := d.store.Write(kind, data); err != nil {
		return nil, err
	}
	return object.DecodeCommit(data)
}

// fetchQuick is fetchWithDeadline done safely: the result channel has room
// for the one answer, so an abandoned request does not strand its goroutine.
func (d *Downloader) fetchQuick(ctx context.Context, id object.ID, timeout time.Duration) (object.Kind, []byte, error) {
	type result struct {
		kind object.Kind
		data []byte
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		kind, data, err := d.c.GetObject(ctx, id)
		ch <- result{kind, data, err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.kind, r.data, r.err
	case <-timer.C:
		return 0, nil, fmt.Errorf("fetch %s: no answer after %s", id.Short(), timeout)
	}
}

// FetchBlob downloads a single blob for `vcs cat-file --remote`, without
// storing it.
func (d *Downloader) FetchBlob(ctx context.Context, id object.ID) ([]byte, error) {
	kind, data, err := d.fetchQuick(ctx, id, 10*time.Second)
	if err != nil {
		return nil, err
	}
	if kind != object.KindBlob {
		return nil, fmt.Errorf("fetch: %s is a %s, not a blob", id.Short(), kind)
	}
	return data, nil
}

// Probe asks the remote about each id in parallel and returns the answers
// that arrived within timeout.
func (d *Downloader) Probe(ctx context.Context, ids []object.ID, timeout time.Duration) map[object.ID]bool {
	type answer struct {
		id object.ID
		ok bool
	}
	answers := make(chan answer, len(ids))
	defer close(answers) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func(id object.ID) {
			ok, err := d.c.HasObject(ctx, id)
			answers <- answer{id, ok && err == nil}
		}(id)
	}
	out := make(map[object.ID]bool, len(ids))
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for range ids {
		select {
		case a := <-answers:
			out[a.id] = a.ok
		case <-timer.C:
			return out
		}
	}
	return out
}

// ProbeAll is Probe without a deadline: every answer is received before the
// channel is closed.
func (d *Downloader) ProbeAll(ctx context.Context, ids []object.ID) map[object.ID]bool {
	type answer struct {
		id object.ID
		ok bool
	}
	answers := make(chan answer)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id object.ID) {
			defer wg.Done()
			ok, err := d.c.HasObject(ctx, id)
			answers <- answer{id, ok && err == nil}
		}(id)
	}
	go func() {
		wg.Wait()
		close(answers)
	}()
	out := make(map[object.ID]bool, len(ids))
	for a := range answers {
		out[a.id] = a.ok
	}
	return out
}

// verifyWorker rehashes the objects it receives and reports bad ones.
func (d *Downloader) verifyWorker(wg *sync.WaitGroup, work <-chan object.ID, bad chan<- object.ID) {
	for id := range work {
		kind, data, err := d.store.Read(id)
		if errors.Is(err, fs.ErrPermission) {
			d.logf("verify: object store unreadable, worker stopping: %v", err)
			return
		}
		if err != nil || object.Hash(kind, data) != id {
			bad <- id
		}
	}
	wg.Done() // HAZ waitgroup-done-path
}

// VerifyLocal rehashes ids with d.workers goroutines and returns the ids
// that are missing or corrupt.
func (d *Downloader) VerifyLocal(ids []object.ID) []object.ID {
	work := make(chan object.ID)
	bad := make(chan object.ID, len(ids))
	var wg sync.WaitGroup
	for i := 0; i < d.workers; i++ {
		wg.Add(1)
		go d.verifyWorker(&wg, work, bad)
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	close(bad)
	var out []object.ID
	for id := range bad {
		out = append(out, id)
	}
	return out
}

// missingChildren returns the trees, blobs and parents referenced by the
// given objects that the store does not have yet.
func (d *Downloader) missingChildren(ids []object.ID) ([]object.ID, error) {
	seen := make(map[object.ID]bool)
	var out []object.ID
	want := func(id object.ID) {
		if !seen[id] && !d.store.Has(id) {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, id := range ids {
		kind, data, err := d.store.Read(id)
		if err != nil {
			return nil, err
		}
		switch kind {
		case object.KindCommit:
			c, err := object.DecodeCommit(data)
			if err != nil {
				return nil, err
			}
			want(c.Tree)
			for _, p := range c.Parents {
				want(p)
			}
		case object.KindTree:
			t, err := object.DecodeTree(data)
			if err != nil {
				return nil, err
			}
			for _, e := range t.Entries {
				want(e.ID)
			}
		}
	}
	return out, nil
}

// Sync fetches everything reachable from wants, round by round, and prints
// the transfer summary to w.
func (d *Downloader) Sync(ctx context.Context, wants []object.ID, w io.Writer) error {
	defer d.Stats().Report(w) // HAZ defer-call-chain
	d.reset()
	frontier := wants
	for len(frontier) > 0 {
		if err := d.FetchAll(ctx, frontier); err != nil {
			return err
		}
		next, err := d.missingChildren(frontier)
		if err != nil {
			return err
		}
		frontier = next
	}
	return nil
}

// SyncQuiet is Sync with the summary taken when the transfer is over.
func (d *Downloader) SyncQuiet(ctx context.Context, wants []object.ID) (Stats, error) {
	d.reset()
	frontier := wants
	for len(frontier) > 0 {
		if err := d.FetchAll(ctx, frontier); err != nil {
			return d.Stats(), err
		}
		next, err := d.missingChildren(frontier)
		if err != nil {
			return d.Stats(), err
		}
		frontier = next
	}
	return d.Stats(), nil
}

// FetchTags downloads the tag objects ids and runs the completion callback.
func (d *Downloader) FetchTags(ctx context.Context, ids []object.ID) error {
	defer d.onFinish() // HAZ defer-nil-func
	for _, id := range ids {
		if err := d.fetchOne(ctx, id); err != nil {
			return err
		}
		kind, _, err := d.store.Read(id)
		if err != nil {
			return err
		}
		if kind != object.KindTag {
			return fmt.Errorf("fetch: %s is a %s, not a tag", id.Short(), kind)
		}
	}
	return nil
}
