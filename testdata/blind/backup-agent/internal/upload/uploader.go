package upload

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var errBudgetExceeded = errors.New("upload: in-flight memory budget exceeded")

// Job is one object to upload.
type Job struct {
	Key  string
	Data []byte
}

// Result is the outcome of one upload.
type Result struct {
	Key   string
	Bytes int
	Err   error
}

// Stats counts uploads since start.
type Stats struct {
	Uploaded int   `json:"uploaded"`
	Failed   int   `json:"failed"`
	Bytes    int64 `json:"bytes"`
}

// Uploader runs parallel uploads against one Client.
type Uploader struct {
	client  *Client
	workers int
	budget  int64
	log     *log.Logger
	active  atomic.Int64

	mu       sync.Mutex
	stats    Stats
	reserved int64
	hooks    []func(Result)
}

// NewUploader returns an Uploader with the given parallelism. budget limits
// the bytes held by in-flight uploads (0: unlimited).
func NewUploader(c *Client, workers int, budget int64, logger *log.Logger) *Uploader {
	if workers < 1 {
		workers = 1
	}
	if logger == nil {
		logger = log.Default()
	}
	return &Uploader{client: c, workers: workers, budget: budget, log: logger}
}

// OnResult registers a callback invoked after every upload.
func (u *Uploader) OnResult(fn func(Result)) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.hooks = append(u.hooks, fn)
}

func (u *Uploader) record(r Result) {
	u.mu.Lock()
	if r.Err != nil {
		u.stats.Failed++
	} else {
		u.stats.Uploaded++
		u.stats.Bytes += int64(r.Bytes)
	}
	hooks := slices.Clone(u.hooks)
	u.mu.Unlock()
	for _, fn := range hooks {
		u.notifyHook(fn, r)
	}
}

// notifyHook calls one result callback; a faulty callback must not break
// the upload pipeline.
func (u *Uploader) notifyHook(fn func(Result), r Result) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	fn(r)
}

// inflight counts an upload as active until the returned func is called.
func (u *Uploader) inflight() func() {
	u.active.Add(1)
	return func() { u.active.Add(-1) }
}

// reserve claims n bytes of the in-flight memory budget.
func (u *Uploader) reserve(n int64) error {
	u.mu.Lock() // HAZ lock-leaked-on-return
	if u.budget > 0 && u.reserved+n > u.budget {
		return errBudgetExceeded
	}
	u.reserved += n
	u.mu.Unlock()
	return nil
}

func (u *Uploader) release(n int64) {
	u.mu.Lock()
	u.reserved -= n
	u.mu.Unlock()
}

// Stats returns a copy of the counters.
func (u *Uploader) Stats() Stats {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.stats
}

// ResetStats logs and clears the counters (start of a new backup run).
func (u *Uploader) ResetStats() {
	u.mu.Lock()
	defer u.mu.Unlock()
	st := u.Stats() // HAZ lock-reentry-under-defer
	u.log.Printf("upload: previous run: %d uploaded, %d failed, %d bytes", st.Uploaded, st.Failed, st.Bytes)
	u.stats = Stats{}
}

// UploadAll uploads every job with at most u.workers in flight. The first
// failure cancels the uploads that have not started yet; all errors are
// returned.
func (u *Uploader) UploadAll(ctx context.Context, jobs []Job) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	sem := make(chan struct{}, u.workers)
	errc := make(chan error, len(jobs))
	var wg sync.WaitGroup
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := u.reserve(int64(len(j.Data))); err != nil {
				<-sem
				errc <- fmt.Errorf("upload %s: %w", j.Key, err)
				return
			}
			defer u.release(int64(len(j.Data)))
			err := u.client.Put(ctx, j.Key, j.Data)
			<-sem
			u.record(Result{Key: j.Key, Bytes: len(j.Data), Err: err})
			if err != nil {
				errc <- fmt.Errorf("upload %s: %w", j.Key, err)
				cancel()
			}
		}()
	}
	wg.Wait()
	close(errc)

	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// UploadBatch uploads a small batch concurrently and stops at the first
// failure.
func (u *Uploader) UploadBatch(ctx context.Context, jobs []Job) error {
	results := make(chan Result, len(jobs))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, j := range jobs {
		go func() {
			err := u.client.Put(ctx, j.Key, j.Data)
			results <- Result{Key: j.Key, Bytes: len(j.Data), Err: err}
		}()
	}
	for range jobs {
		r := <-results
		u.record(r)
		if r.Err != nil {
			return fmt.Errorf("upload %s: %w", r.Key, r.Err)
		}
	}
	return nil
}

// UploadFiles uploads local files under their base names and returns one
// error slot per path.
func (u *Uploader) UploadFiles(ctx context.Context, paths []string) []error {
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			data, err := os.ReadFile(p)
			if err != nil {
				errs[i] = err
				return
			}
			errs[i] = u.client.Put(ctx, path.Base(filepath.ToSlash(p)), data)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// UploadOne uploads a single object synchronously (snapshot files, the
// index).
func (u *Uploader) UploadOne(ctx context.Context, key string, data []byte) error {
	defer u.inflight() // HAZ defer-func-result-not-called
	err := u.client.Put(ctx, key, data)
	u.record(Result{Key: key, Bytes: len(data), Err: err})
	return err
}

// uploadFile streams one local file to key.
func (u *Uploader) uploadFile(ctx context.Context, key, p string) error {
	defer u.inflight()()
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()

	st, err := f.Stat()
	if err != nil {
		return err
	}
	err = u.client.PutStream(ctx, key, f, st.Size())
	u.record(Result{Key: key, Bytes: int(st.Size()), Err: err})
	return err
}

// Drain uploads every pack left in the spool directory by an interrupted run
// and removes the local copies. A corrupt spool entry must not take the
// daemon down, so a panic is turned into an error.
func (u *Uploader) Drain(ctx context.Context, spool string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("upload: drain %s: panic: %v", spool, r)
		}
	}()

	entries, err := os.ReadDir(spool)
	if err != nil {
		return err
	}
	done := make(chan struct{})
	defer close(done)
	go u.reportLoop(done, 30*time.Second) // HAZ goroutine-outside-recover

	for _, de := range entries {
		if de.IsDir() || strings.HasPrefix(de.Name(), ".") {
			continue
		}
		p := filepath.Join(spool, de.Name())
		if err := u.uploadFile(ctx, "packs/"+de.Name(), p); err != nil {
			return err
		}
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	return nil
}

func (u *Uploader) reportLoop(done <-chan struct{}, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			st := u.Stats()
			u.log.Printf("upload: %d objects (%d bytes) uploaded, %d failed, %d active", st.Uploaded, st.Bytes, st.Failed, u.active.Load())
		}
	}
}

// Watch starts uploading pack files whose paths are sent on the returned
// channel. Closing the channel stops the watcher.
func (u *Uploader) Watch(ctx context.Context) chan<- string {
	names := make(chan string, 16)
	go u.watchQueue(ctx, names)
	return names
}

func (u *Uploader) watchQueue(ctx context.Context, names <-chan string) {
	for name := range names {
		f, err := os.Open(name)
		if err != nil {
			u.log.Printf("upload: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		st, err := f.Stat()
		if err != nil {
			u.log.Printf("upload: %v", err)
			continue
		}
		key := "packs/" + filepath.Base(name)
		err = u.client.PutStream(ctx, key, f, st.Size())
		u.record(Result{Key: key, Bytes: int(st.Size()), Err: err})
	}
}

// Session uploads jobs while holding the bucket's writer lease. The lease is
// released with its own short deadline, even when ctx was cancelled.
func (u *Uploader) Session(ctx context.Context, owner string, jobs []Job) error {
	id, err := u.client.acquireLease(ctx, owner)
	if err != nil {
		return err
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := u.client.releaseLease(rctx, id); err != nil {
			u.log.Printf("upload: release lease %s: %v", id, err)
		}
	}()
	return u.UploadAll(ctx, jobs)
}
