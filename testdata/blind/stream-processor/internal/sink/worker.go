package sink

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"example.com/streamproc/internal/record"
)

// trace logs the start of an operation and returns the function that logs
// its end.
func trace(op string) func() {
	start := time.Now()
	log.Printf("sink: %s start", op)
	return func() { log.Printf("sink: %s done in %s", op, time.Since(start)) }
}

// RotateAll seals every open segment.
func (s *FileSink) RotateAll() error {
	defer trace("rotate-all") // HAZ defer-func-result-not-called
	var errs []error
	for _, p := range s.openPartitions() {
		errs = append(errs, s.SealQuiet(p))
	}
	return errors.Join(errs...)
}

// RotateAllTraced is RotateAll with the trace cleanup actually called.
func (s *FileSink) RotateAllTraced() error {
	defer trace("rotate-all")()
	var errs []error
	for _, p := range s.openPartitions() {
		errs = append(errs, s.SealQuiet(p))
	}
	return errors.Join(errs...)
}

func (s *FileSink) openPartitions() []int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ps := make([]int, 0, len(s.segments))
	for p := range s.segments {
		ps = append(ps, p)
	}
	return ps
}

// SealQuiet closes the segment of p without announcing it.
func (s *FileSink) SealQuiet(p int) error {
	s.mu.Lock()
	seg, ok := s.segments[p]
	delete(s.segments, p)
	s.mu.Unlock()
	if !ok {
		return nil
	}
	return seg.Close()
}

// Stage writes to a temp file and publishes it under its final name; the
// undo step depends on whether the final file already existed.
func (s *FileSink) Stage(name string, data []byte) error {
	tmp := s.dir + "/." + name + ".tmp"
	undo := func() {}
	defer undo() // HAZ defer-eager-evaluation
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	undo = func() { os.Remove(tmp) }
	if _, err := os.Stat(s.dir + "/" + name); err == nil {
		return fmt.Errorf("%s already published", name)
	}
	if err := os.Rename(tmp, s.dir+"/"+name); err != nil {
		return err
	}
	undo = func() {}
	return nil
}

// StageClean is Stage with the undo decided at exit through a closure.
func (s *FileSink) StageClean(name string, data []byte) (err error) {
	tmp := s.dir + "/." + name + ".tmp"
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err = os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, s.dir+"/"+name)
}

// Scratch writes data to a scratch file, hands it to use and removes it.
func (s *FileSink) Scratch(data []byte, use func(path string) error) error {
	path := fmt.Sprintf("%s/scratch-%d", s.dir, time.Now().UnixNano())
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		return os.Remove(path)
	}()
	return use(path)
}

// runGuarded runs fn for one batch; a panicking fn must not kill the worker.
func runGuarded(fn func()) {
	defer recover() // HAZ recover-ineffective
	fn()
}

// runGuardedNested logs the panic from a helper closure.
func runGuardedNested(name string, fn func()) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				log.Printf("%s: panic: %v", name, r)
			}
		}
		report()
	}()
	fn()
}

// runGuardedErr converts a panic into an error.
func runGuardedErr(name string, fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: panic: %v", name, r)
		}
	}()
	fn()
	return nil
}

// bestEffort runs an optional hook whose failures do not matter.
func bestEffort(fn func()) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	fn()
}

// ApplyHooks runs the post-write hooks of a batch.
func ApplyHooks(recs []record.Record, hooks []func(record.Record)) {
	for _, h := range hooks {
		for _, r := range recs {
			bestEffort(func() { h(r) })
		}
	}
}

// RunMaintenance runs fn on a timer until ctx ends.
func RunMaintenance(ctx context.Context, every time.Duration, fn func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			runGuarded(fn)
		}
	}
}

// FanOutWrite writes the batch of every partition concurrently, protected
// against a panicking writer.
func (s *FileSink) FanOutWrite(batches map[int][]record.Record) (err error) {
	defer func() { // HAZ goroutine-outside-recover
		if r := recover(); r != nil {
			err = fmt.Errorf("fan-out write: %v", r)
		}
	}()
	var wg sync.WaitGroup
	errs := make([]error, 0, len(batches))
	var mu sync.Mutex
	for p, recs := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			werr := s.WriteOnceChecked(p, recs)
			mu.Lock()
			errs = append(errs, werr)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// FanOutWriteSafe recovers inside every goroutine.
func (s *FileSink) FanOutWriteSafe(batches map[int][]record.Record) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(batches))
	for p, recs := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- runGuardedErr(fmt.Sprintf("p%d", p), func() {
				if err := s.WriteOnceChecked(p, recs); err != nil {
					panic(err)
				}
			})
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

// SealMany seals partitions concurrently.
func (s *FileSink) SealMany(parts []int) {
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.SealQuiet(p); err != nil {
				log.Printf("seal p%d: %v", p, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// validate checks a batch before it is written.
func validate(recs []record.Record) error {
	for _, r := range recs {
		if r.Key == "" {
			return fmt.Errorf("record %s has no key", r)
		}
	}
	return nil
}

// WriteValidated starts the write and validates the batch meanwhile.
func (s *FileSink) WriteValidated(p int, recs []record.Record) error {
	done := make(chan error)
	go func() {
		done <- s.WriteOnceChecked(p, recs) // HAZ goroutine-blocked-send
	}()
	if err := validate(recs); err != nil {
		return err
	}
	return <-done
}

// WriteValidatedFirst validates before starting anything.
func (s *FileSink) WriteValidatedFirst(ctx context.Context, p int, recs []record.Record) error {
	if err := validate(recs); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- s.WriteOnceChecked(p, recs) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// CollectSizes stats files concurrently and returns at the first error.
func CollectSizes(paths []string) (map[string]int64, error) {
	type result struct {
		path string
		size int64
		err  error
	}
	results := make(chan result, len(paths))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func() {
			fi, err := os.Stat(p)
			if err != nil {
				results <- result{path: p, err: err}
				return
			}
			results <- result{path: p, size: fi.Size()}
		}()
	}
	sizes := make(map[string]int64, len(paths))
	for range paths {
		r := <-results
		if r.err != nil {
			return nil, r.err
		}
		sizes[r.path] = r.size
	}
	return sizes, nil
}

// AdminHandler exposes flush controls over HTTP.
type AdminHandler struct {
	sink    *FileSink
	pending sync.WaitGroup
}

// NewAdminHandler returns a handler for sink.
func NewAdminHandler(s *FileSink) *AdminHandler { return &AdminHandler{sink: s} }

// ServeHTTP seals the partition given in ?p= in the background.
func (h *AdminHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, err := strconv.Atoi(r.URL.Query().Get("p"))
	if err != nil {
		http.Error(w, "bad partition", http.StatusBadRequest)
		return
	}
	defer h.pending.Wait() // HAZ defer-blocking-call
	h.pending.Add(1)
	go func() {
		defer h.pending.Done()
		if err := h.sink.SealQuiet(p); err != nil {
			log.Printf("admin seal p%d: %v", p, err)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Drain waits for background seals, bounded by ctx.
func (h *AdminHandler) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		h.pending.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
