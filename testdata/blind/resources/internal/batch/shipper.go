// Package batch contains batch jobs that walk over many inputs: log shipping,
// metric polling, manifest indexing and checksum generation.
package batch

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// LogShipper copies rotated log files into a sink (usually a network stream).
type LogShipper struct {
	dst io.Writer
}

// NewLogShipper returns a shipper writing to dst.
func NewLogShipper(dst io.Writer) *LogShipper { return &LogShipper{dst: dst} }

// ShipAll copies every rotated file to the sink. Every file stays open until
// the whole batch is done.
func (l *LogShipper) ShipAll(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("open %s: %w", p, err)
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := io.Copy(l.dst, f); err != nil {
			return fmt.Errorf("ship %s: %w", p, err)
		}
	}
	return nil
}

// ShipAllScoped is the fixed version: each iteration gets its own function
// scope, so each file is closed before the next one is opened.
func (l *LogShipper) ShipAllScoped(paths []string) error {
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return fmt.Errorf("open %s: %w", p, err)
			}
			defer f.Close() // ok: the literal returns at the end of every iteration
			_, err = io.Copy(l.dst, f)
			return err
		}()
		if err != nil {
			return fmt.Errorf("ship %s: %w", p, err)
		}
	}
	return nil
}

// ShipEach delegates each file to a helper that owns the defer.
func (l *LogShipper) ShipEach(paths []string) error {
	for _, p := range paths {
		if err := l.shipOne(p); err != nil {
			return err
		}
	}
	return nil
}

func (l *LogShipper) shipOne(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("open %s: %w", p, err)
	}
	defer f.Close() // ok: not in a loop
	if _, err := io.Copy(l.dst, f); err != nil {
		return fmt.Errorf("ship %s: %w", p, err)
	}
	return nil
}

// ShipAllExplicit closes each file explicitly inside the loop.
func (l *LogShipper) ShipAllExplicit(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("open %s: %w", p, err)
		}
		_, copyErr := io.Copy(l.dst, f)
		f.Close() // ok: read-only file, closed every iteration
		if copyErr != nil {
			return fmt.Errorf("ship %s: %w", p, copyErr)
		}
	}
	return nil
}

// Job is a unit of work for RunJobs.
type Job struct {
	Kind string
	Path string
}

// RunJobs dispatches on the job kind; the "file" branch leaks a descriptor
// per job until the whole slice has been processed.
func (l *LogShipper) RunJobs(jobs []Job) error {
	for _, j := range jobs {
		switch j.Kind {
		case "file":
			f, err := os.Open(j.Path)
			if err != nil {
				return err
			}
			defer f.Close() // HAZ defer-in-loop
			if _, err := io.Copy(l.dst, f); err != nil {
				return err
			}
		case "marker":
			if _, err := fmt.Fprintf(l.dst, "--- %s ---\n", j.Path); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unknown job kind %q", j.Kind)
		}
	}
	return nil
}

// Drain ships files announced on a channel until it is closed or ctx ends.
// The loop does return, so it is finite, but each received file stays open
// until Drain returns.
func (l *LogShipper) Drain(ctx context.Context, paths <-chan string) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case p, ok := <-paths:
			if !ok {
				return nil
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close() // HAZ defer-in-loop
			if _, err := io.Copy(l.dst, f); err != nil {
				return err
			}
		}
	}
}

// DrainScoped is the correct form of Drain.
func (l *LogShipper) DrainScoped(ctx context.Context, paths <-chan string) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case p, ok := <-paths:
			if !ok {
				return nil
			}
			if err := l.shipOne(p); err != nil {
				return err
			}
		}
	}
}

// MetricsPoller scrapes JSON metric endpoints.
type MetricsPoller struct {
	client *http.Client
}

type sample struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// PollTargets keeps every response body open until all targets are polled,
// which pins one keep-alive connection per target.
func (p *MetricsPoller) PollTargets(ctx context.Context, targets []string) (map[string][]sample, error) {
	out := make(map[string][]sample, len(targets))
	for _, t := range targets {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, t+"/metrics.json", nil)
		if err != nil {
			return nil, err
		}
		resp, err := p.client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("poll %s: %w", t, err)
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("poll %s: status %d", t, resp.StatusCode)
		}
		var ss []sample
		if err := json.NewDecoder(resp.Body).Decode(&ss); err != nil {
			return nil, fmt.Errorf("decode %s: %w", t, err)
		}
		out[t] = ss
	}
	return out, nil
}

// PollConcurrently starts one goroutine per target; the defers live in the
// goroutine's function literal, not in the loop.
func (p *MetricsPoller) PollConcurrently(ctx context.Context, targets []string) map[string]int {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	codes := make(map[string]int, len(targets))
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done() // ok: inside the goroutine's own function
			req, err := http.NewRequestWithContext(ctx, http.MethodHead, t, nil)
			if err != nil {
				return
			}
			resp, err := p.client.Do(req)
			if err != nil {
				return
			}
			defer resp.Body.Close() // ok: one body per goroutine
			mu.Lock()
			codes[t] = resp.StatusCode
			mu.Unlock()
		}()
	}
	wg.Wait()
	return codes
}

// IndexManifests records the first line of every *.manifest file. The
// labelled continue does not help: the defer still piles up.
func IndexManifests(dirs []string) (map[string]string, error) {
	index := make(map[string]string)
outer:
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			if strings.HasSuffix(e.Name(), ".manifest") {
				f, err := os.Open(filepath.Join(dir, e.Name()))
				if err != nil {
					if errors.Is(err, fs.ErrPermission) {
						continue outer
					}
					return nil, err
				}
				defer f.Close() // HAZ defer-in-loop
				sc := bufio.NewScanner(f)
				if sc.Scan() {
					index[filepath.Join(dir, e.Name())] = sc.Text()
				}
				if err := sc.Err(); err != nil {
					return nil, err
				}
			}
		}
	}
	return index, nil
}

// BuildChecksums hashes files through a local closure; the loop lives in the
// closure, so the closure is the function that accumulates defers.
func BuildChecksums(root string, names []string) (map[string]string, error) {
	sums := make(map[string]string, len(names))
	hashAll := func(group []string) error {
		for _, n := range group {
			f, err := os.Open(filepath.Join(root, n))
			if err != nil {
				return err
			}
			defer f.Close() // HAZ defer-in-loop
			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
			sums[n] = hex.EncodeToString(h.Sum(nil))
		}
		return nil
	}
	if err := hashAll(names); err != nil {
		return nil, err
	}
	return sums, nil
}

// BuildChecksumsScoped uses a per-file closure that is called from the loop;
// the loop itself only calls it.
func BuildChecksumsScoped(root string, names []string) (map[string]string, error) {
	sums := make(map[string]string, len(names))
	hashOne := func(n string) (string, error) {
		f, err := os.Open(filepath.Join(root, n))
		if err != nil {
			return "", err
		}
		defer f.Close() // ok: the literal has no loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	for _, n := range names {
		sum, err := hashOne(n)
		if err != nil {
			return nil, err
		}
		sums[n] = sum
	}
	return sums, nil
}

// CountArchiveEntries iterates a map of archives; every zip stays open.
func CountArchiveEntries(archives map[string]string) (map[string]int, error) {
	counts := make(map[string]int, len(archives))
	for name, path := range archives {
		zr, err := zip.OpenReader(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		defer zr.Close() // HAZ defer-in-loop
		counts[name] = len(zr.File)
	}
	return counts, nil
}

// OpenAll deliberately keeps every file open because fn needs all of them at
// once; the cleanup loop is inside one deferred closure.
func OpenAll(paths []string, fn func([]*os.File) error) error {
	files := make([]*os.File, 0, len(paths))
	defer func() {
		for _, f := range files {
			f.Close() // ok: read-only, closed when OpenAll returns by design
		}
	}()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		files = append(files, f)
	}
	return fn(files)
}

// ForEachOpened opens each name through a caller-supplied opener. Generic
// over the resource type; all resources stay open until the end.
func ForEachOpened[T io.Closer](names []string, open func(string) (T, error), fn func(string, T) error) error {
	for _, n := range names {
		c, err := open(n)
		if err != nil {
			return err
		}
		defer c.Close() // HAZ defer-in-loop
		if err := fn(n, c); err != nil {
			return err
		}
	}
	return nil
}

// ForEachOpenedScoped is the fixed generic version.
func ForEachOpenedScoped[T io.Closer](names []string, open func(string) (T, error), fn func(string, T) error) error {
	for _, n := range names {
		if err := withOpened(n, open, fn); err != nil {
			return err
		}
	}
	return nil
}

func withOpened[T io.Closer](n string, open func(string) (T, error), fn func(string, T) error) error {
	c, err := open(n)
	if err != nil {
		return err
	}
	defer c.Close() // ok: one resource per call
	return fn(n, c)
}

// SessionRegistry tracks last-seen times of sessions. The mutex is embedded.
type SessionRegistry struct {
	sync.Mutex
	sessions map[string]time.Time
}

// NewSessionRegistry returns an empty registry.
func NewSessionRegistry() *SessionRegistry {
	return &SessionRegistry{sessions: make(map[string]time.Time)}
}

// TouchAll locks the embedded mutex in every iteration and defers the unlock:
// the second iteration blocks forever on its own lock.
func (r *SessionRegistry) TouchAll(ids []string, now time.Time) {
	for _, id := range ids {
		r.Lock()
		defer r.Unlock() // HAZ defer-in-loop
		r.sessions[id] = now
	}
}

// TouchAllOnce takes the lock once, before the loop.
func (r *SessionRegistry) TouchAllOnce(ids []string, now time.Time) {
	r.Lock()
	defer r.Unlock() // ok: before the loop
	for _, id := range ids {
		r.sessions[id] = now
	}
}

// ExpireIdle locks per iteration inside a closure so the unlock runs at the
// end of each iteration.
func (r *SessionRegistry) ExpireIdle(ids []string, cutoff time.Time) int {
	n := 0
	for _, id := range ids {
		func() {
			r.Lock()
			defer r.Unlock() // ok: closure scope
			if t, ok := r.sessions[id]; ok && t.Before(cutoff) {
				delete(r.sessions, id)
				n++
			}
		}()
	}
	return n
}

type counterShard struct {
	mu sync.Mutex
	m  map[string]int64
}

// ShardedCounter spreads keys over 16 independently locked shards.
type ShardedCounter struct {
	shards [16]counterShard
}

// NewShardedCounter initialises all shards.
func NewShardedCounter() *ShardedCounter {
	c := &ShardedCounter{}
	for i := range c.shards {
		c.shards[i].m = make(map[string]int64)
	}
	return c
}

func (c *ShardedCounter) shardFor(k string) *counterShard {
	h := fnv.New32a()
	h.Write([]byte(k))
	return &c.shards[h.Sum32()%uint32(len(c.shards))]
}

// AddBatch deadlocks as soon as two keys of the batch hash to the same shard:
// the first shard lock is still held by the pending deferred unlock.
func (c *ShardedCounter) AddBatch(keys []string) {
	for _, k := range keys {
		sh := c.shardFor(k)
		sh.mu.Lock()
		defer sh.mu.Unlock() // HAZ defer-in-loop
		sh.m[k]++
	}
}

// AddBatchScoped releases each shard lock before touching the next key.
func (c *ShardedCounter) AddBatchScoped(keys []string) {
	for _, k := range keys {
		c.add(k)
	}
}

func (c *ShardedCounter) add(k string) {
	sh := c.shardFor(k)
	sh.mu.Lock()
	defer sh.mu.Unlock() // ok: one lock per call
	sh.m[k]++
}
