package blindc

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// FetchResult is the outcome of one URL fetch.
type FetchResult struct {
	URL    string
	Status int
	Err    error
}

// ---------------------------------------------------------------------------
// waitgroup-done-path: positives

// FetchAll fetches every URL concurrently.
func FetchAll(ctx context.Context, client *http.Client, urls []string) []FetchResult {
	results := make([]FetchResult, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func() {
			results[i].URL = u
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				results[i].Err = err
				return
			}
			resp, err := client.Do(req)
			if err != nil {
				results[i].Err = err
				return
			}
			resp.Body.Close()
			results[i].Status = resp.StatusCode
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return results
}

// Record is one decoded wire record: kind byte, big-endian length, body.
type Record struct {
	Kind   byte
	Length uint16
	Body   []byte
}

func mustDecodeRecord(b []byte) Record {
	if len(b) < 3 {
		panic(fmt.Sprintf("record: short buffer (%d bytes)", len(b)))
	}
	n := binary.BigEndian.Uint16(b[1:3])
	if int(n) > len(b)-3 {
		panic("record: length exceeds buffer")
	}
	return Record{Kind: b[0], Length: n, Body: b[3 : 3+int(n)]}
}

// DecodeParallel decodes chunks concurrently; a malformed chunk becomes an error.
func DecodeParallel(chunks [][]byte) ([]Record, []error) {
	recs := make([]Record, len(chunks))
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	wg.Add(len(chunks))
	for i, c := range chunks {
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("chunk %d: %v", i, r)
				}
			}()
			recs[i] = mustDecodeRecord(c)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return recs, errs
}

// Job is a unit of work for WorkerPool.
type Job interface {
	Run(ctx context.Context) error
}

// WorkerPool runs jobs from a queue on n goroutines.
type WorkerPool struct {
	jobs     chan Job
	wg       sync.WaitGroup
	mu       sync.Mutex
	errs     []error
	inflight atomic.Int64
	failFast bool
}

// NewWorkerPool returns a pool with the given queue length.
func NewWorkerPool(queue int, failFast bool) *WorkerPool {
	return &WorkerPool{jobs: make(chan Job, queue), failFast: failFast}
}

func (p *WorkerPool) recordErr(err error) {
	p.mu.Lock()
	p.errs = append(p.errs, err)
	p.mu.Unlock()
}

// Start launches n workers.
func (p *WorkerPool) Start(ctx context.Context, n int) {
	p.wg.Add(n)
	for i := 0; i < n; i++ {
		if p.failFast {
			go p.failFastWorker(ctx)
		} else {
			go p.worker(ctx)
		}
	}
}

// Submit queues j.
func (p *WorkerPool) Submit(j Job) { p.jobs <- j }

// Shutdown stops accepting jobs, waits for the workers and reports errors.
func (p *WorkerPool) Shutdown() error {
	close(p.jobs)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return errors.Join(p.errs...)
}

// failFastWorker stops at the first failing job.
func (p *WorkerPool) failFastWorker(ctx context.Context) {
	for job := range p.jobs {
		if err := job.Run(ctx); err != nil {
			p.recordErr(err)
			return
		}
	}
	p.wg.Done() // HAZ waitgroup-done-path
}

// Event is a message on an event stream.
type Event struct {
	Topic string
	Data  []byte
}

// ConsumeEvents handles events from every stream until all are closed or ctx ends.
func ConsumeEvents(ctx context.Context, streams []<-chan Event, handle func(Event)) {
	var wg sync.WaitGroup
	for _, in := range streams {
		wg.Add(1)
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case ev, ok := <-in:
					if !ok {
						wg.Done() // HAZ waitgroup-done-path
						return
					}
					handle(ev)
				}
			}
		}()
	}
	wg.Wait()
}

// Shard is a storage shard.
type Shard struct {
	ID    int
	State string
	Keys  []string
}

// CompactShards compacts every writable shard concurrently.
func CompactShards(shards []*Shard, compact func(*Shard) error) []error {
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i, sh := range shards {
		wg.Add(1)
		go func() {
			switch sh.State {
			case "readonly", "migrating":
				return
			case "empty":
				// nothing to compact
			default:
				errs[i] = compact(sh)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// Partition is a list of key segments.
type Partition struct {
	Name     string
	Segments [][]string
}

// PartitionsWithKey searches all partitions concurrently.
func PartitionsWithKey(parts []Partition, key string) []string {
	found := make([]bool, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
		segments:
			for _, seg := range p.Segments {
				for _, k := range seg {
					if k == "" {
						continue segments // corrupt segment, skip it
					}
					if k == key {
						found[i] = true
						return
					}
				}
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	var names []string
	for i, ok := range found {
		if ok {
			names = append(names, parts[i].Name)
		}
	}
	return names
}

// Replica is a remote copy of the data set.
type Replica interface {
	Put(ctx context.Context, key string, val []byte) error
}

// ReplicateWrite writes key to every replica.
func ReplicateWrite(ctx context.Context, replicas []Replica, key string, val []byte) error {
	var wg sync.WaitGroup
	errs := make([]error, len(replicas))
	for i, r := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.Put(ctx, key, val); err != nil {
				errs[i] = err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ProfileService assembles a user profile from several backends.
type ProfileService struct {
	client   *http.Client
	backends map[string]string // section name -> backend URL
}

// HandleProfile fans out to every backend and merges the sections.
func (ps *ProfileService) HandleProfile(w http.ResponseWriter, r *http.Request) {
	uid := r.URL.Query().Get("uid")
	names := make([]string, 0, len(ps.backends))
	for name := range ps.backends {
		names = append(names, name)
	}
	sort.Strings(names)
	sections := make([]json.RawMessage, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			u := ps.backends[name] + "?uid=" + url.QueryEscape(uid)
			req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, u, nil)
			if err != nil {
				return
			}
			resp, err := ps.client.Do(req)
			if err != nil {
				return
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err == nil && json.Valid(body) {
				sections[i] = body
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	out := make(map[string]json.RawMessage, len(names))
	for i, name := range names {
		if sections[i] != nil {
			out[name] = sections[i]
		}
	}
	writeJSON(w, out)
}

// ---------------------------------------------------------------------------
// waitgroup-done-path: negatives

// FetchAllDeferred is FetchAll with a deferred Done.
func FetchAllDeferred(ctx context.Context, client *http.Client, urls []string) []FetchResult {
	results := make([]FetchResult, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done() // ok
			results[i].URL = u
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				results[i].Err = err
				return
			}
			resp, err := client.Do(req)
			if err != nil {
				results[i].Err = err
				return
			}
			resp.Body.Close()
			results[i].Status = resp.StatusCode
		}()
	}
	wg.Wait()
	return results
}

// worker keeps going after failures and always signals the pool.
func (p *WorkerPool) worker(ctx context.Context) {
	defer p.wg.Done() // ok
	for job := range p.jobs {
		p.inflight.Add(1)
		if err := job.Run(ctx); err != nil {
			p.recordErr(err)
		}
		p.inflight.Add(-1)
	}
}

// ConsumeEventsUntilDone calls Done explicitly before each return.
func ConsumeEventsUntilDone(ctx context.Context, streams []<-chan Event, handle func(Event)) {
	var wg sync.WaitGroup
	for _, in := range streams {
		wg.Add(1)
		go func() {
			for {
				select {
				case <-ctx.Done():
					wg.Done() // ok
					return
				case ev, ok := <-in:
					if !ok {
						wg.Done() // ok
						return
					}
					handle(ev)
				}
			}
		}()
	}
	wg.Wait()
}

// CompactWritableShards signals Done on every path of the switch.
func CompactWritableShards(shards []*Shard, compact func(*Shard) error) []error {
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i, sh := range shards {
		wg.Add(1)
		go func() {
			switch sh.State {
			case "readonly", "migrating":
				wg.Done() // ok
				return
			case "empty":
			default:
				errs[i] = compact(sh)
			}
			wg.Done() // ok
		}()
	}
	wg.Wait()
	return errs
}

// FirstPartitionsWithKey leaves the labelled loop with break, so Done runs.
func FirstPartitionsWithKey(parts []Partition, key string) []string {
	found := make([]bool, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
		search:
			for _, seg := range p.Segments {
				for _, k := range seg {
					if k == "" {
						continue search
					}
					if k == key {
						found[i] = true
						break search
					}
				}
			}
			wg.Done() // ok: break and continue both reach it
		}()
	}
	wg.Wait()
	var names []string
	for i, ok := range found {
		if ok {
			names = append(names, parts[i].Name)
		}
	}
	return names
}

// NormalizeLines lower-cases lines on several workers; continue never skips Done.
func NormalizeLines(lines []string, workers int) []string {
	out := make([]string, len(lines))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			for i := w; i < len(lines); i += workers {
				s := strings.TrimSpace(lines[i])
				if s == "" || strings.HasPrefix(s, "#") {
					continue
				}
				out[i] = strings.ToLower(s)
			}
			wg.Done() // ok
		}()
	}
	wg.Wait()
	return out
}

func drainInto(dst *[]Event, mu *sync.Mutex, in <-chan Event, done func()) {
	defer done() // ok: done is wg.Done handed over by the caller
	for ev := range in {
		mu.Lock()
		*dst = append(*dst, ev)
		mu.Unlock()
	}
}

// CollectEvents gathers all events from all streams.
func CollectEvents(streams []<-chan Event) []Event {
	var (
		mu  sync.Mutex
		all []Event
		wg  sync.WaitGroup
	)
	for _, s := range streams {
		wg.Add(1)
		go drainInto(&all, &mu, s, wg.Done)
	}
	wg.Wait()
	return all
}

// RunBatch runs a batch of jobs and waits for all of them.
func (p *WorkerPool) RunBatch(ctx context.Context, batch []Job) error {
	var wg sync.WaitGroup
	errs := make([]error, len(batch))
	for i, j := range batch {
		wg.Add(1)
		p.inflight.Add(1)
		go func() {
			defer func() {
				p.inflight.Add(-1)
				wg.Done() // ok: inside the deferred closure
			}()
			errs[i] = j.Run(ctx)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// UploadTracker tracks multipart uploads in flight.
type UploadTracker struct {
	wg      sync.WaitGroup
	pending atomic.Int64
	failed  atomic.Int64
}

func (t *UploadTracker) begin() {
	t.wg.Add(1)
	t.pending.Add(1)
}

// finish is only ever deferred; it has no path that skips Done.
func (t *UploadTracker) finish() {
	t.pending.Add(-1)
	t.wg.Done() // ok
}

// Upload sends all parts and waits for them.
func (t *UploadTracker) Upload(ctx context.Context, parts [][]byte, put func(context.Context, int, []byte) error) int64 {
	for i, part := range parts {
		t.begin()
		go func() {
			defer t.finish()
			if err := put(ctx, i, part); err != nil {
				t.failed.Add(1)
			}
		}()
	}
	t.wg.Wait()
	return t.failed.Load()
}
