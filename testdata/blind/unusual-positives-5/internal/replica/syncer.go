// Package replica copies keys between stores and follows change feeds.
package replica

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"sync/atomic"
	"time"

	"example.com/up5/internal/trace"
)

// Store is the subset of a key/value store the syncer needs.
type Store interface {
	Keys() ([]string, error)
	Get(key string) ([]byte, error)
	Put(key string, val []byte) error
}

// Syncer copies keys from src to dst.
type Syncer struct {
	src, dst Store
	tracer   *trace.Tracer
	hist     *trace.Hist
	counters trace.Counters
	out      io.Writer
	verbose  bool
	done     atomic.Int64
	backoff  time.Duration

	// afterSync, when set by WithAfterSync, runs after every SyncKeys call.
	afterSync func()
}

// WithAfterSync installs a hook that runs after every SyncKeys call.
func (s *Syncer) WithAfterSync(fn func()) *Syncer {
	s.afterSync = fn
	return s
}

// logResult logs the outcome of an operation.
func (s *Syncer) logResult(op string, err error) {
	if err != nil {
		log.Printf("replica: %s failed: %v", op, err)
		return
	}
	log.Printf("replica: %s ok", op)
}

// NewSyncer returns a syncer reporting to out.
func NewSyncer(src, dst Store, out io.Writer) *Syncer {
	return &Syncer{src: src, dst: dst, tracer: trace.NewTracer(out), hist: new(trace.Hist), out: out}
}

func (s *Syncer) copyKey(k string) error {
	defer s.tracer.Region("copy")()
	v, err := s.src.Get(k)
	if err != nil {
		return err
	}
	return s.dst.Put(k, v)
}

// SyncAll copies every key of src.
func (s *Syncer) SyncAll() error {
	defer s.tracer.Region("sync-all") // HAZ defer-func-result-not-called
	keys, err := s.src.Keys()
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := s.copyKey(k); err != nil {
			return fmt.Errorf("sync %s: %w", k, err)
		}
	}
	return nil
}

// SyncKeys copies the given keys and then runs the after-sync hook.
func (s *Syncer) SyncKeys(keys []string) error {
	defer s.afterSync() // HAZ defer-nil-func
	for _, k := range keys {
		if err := s.copyKey(k); err != nil {
			return err
		}
	}
	return nil
}

// SyncKeysHooked runs the after-sync hook only when one is installed.
func (s *Syncer) SyncKeysHooked(keys []string) error {
	if hook := s.afterSync; hook != nil {
		defer hook()
	}
	for _, k := range keys {
		if err := s.copyKey(k); err != nil {
			return err
		}
	}
	return nil
}

// Retry copies key, retrying with a pause, and logs the outcome.
func (s *Syncer) Retry(key string, attempts int) error {
	var err error
	defer s.logResult("retry "+key, err) // HAZ defer-eager-evaluation
retry:
	for i := range attempts {
		if err = s.copyKey(key); err == nil {
			break retry
		}
		time.Sleep(s.backoff * time.Duration(i+1))
	}
	return err
}

// RetryLogged is Retry with the outcome read when the closure runs.
func (s *Syncer) RetryLogged(key string, attempts int) (err error) {
	defer func() { s.logResult("retry "+key, err) }()
	for i := range attempts {
		if err = s.copyKey(key); err == nil {
			return nil
		}
		time.Sleep(s.backoff * time.Duration(i+1))
	}
	return err
}

// Push writes one value to dst inside a span.
func (s *Syncer) Push(key string, val []byte) (err error) {
	span := s.tracer.Start("push").Set("key", key)
	defer span.Finish(err) // HAZ defer-eager-evaluation
	if len(val) == 0 {
		err = fmt.Errorf("push %s: empty value", key)
		return err
	}
	err = s.dst.Put(key, val)
	return err
}

// Pull reads one value from src inside a span; the closure reads the named
// result when it runs.
func (s *Syncer) Pull(key string) (val []byte, err error) {
	span := s.tracer.Start("pull").Set("key", key)
	defer func() { span.Finish(err) }()
	val, err = s.src.Get(key)
	if err == nil && len(val) == 0 {
		err = fmt.Errorf("pull %s: empty value", key)
	}
	return val, err
}

// Verify returns the keys whose values differ between src and dst.
func (s *Syncer) Verify(keys []string) (bad []string, err error) {
	start := time.Now()
	observe := s.hist.Observe
	defer observe(time.Now().Sub(start)) // HAZ defer-eager-evaluation
	for _, k := range keys {
		a, err := s.src.Get(k)
		if err != nil {
			return bad, err
		}
		b, err := s.dst.Get(k)
		if err != nil {
			return bad, err
		}
		if string(a) != string(b) {
			bad = append(bad, k)
		}
	}
	return bad, nil
}

// VerifyTimed is Verify with the duration computed when the function exits.
func (s *Syncer) VerifyTimed(keys []string) ([]string, error) {
	start := time.Now()
	observe := s.hist.Observe
	defer func() { observe(time.Since(start)) }()
	return s.Verify(keys)
}

// CopyBatch copies keys and publishes the counters afterwards.
func (s *Syncer) CopyBatch(keys []string) {
	defer s.counters.Snapshot().Publish(s.out) // HAZ defer-call-chain
	for _, k := range keys {
		err := s.copyKey(k)
		s.counters.Inc(err == nil)
	}
}

// CopyBatchReported copies keys and takes the snapshot at exit.
func (s *Syncer) CopyBatchReported(keys []string) {
	defer func() { s.counters.Snapshot().Publish(s.out) }()
	for _, k := range keys {
		err := s.copyKey(k)
		s.counters.Inc(err == nil)
	}
}

// CopyLogged copies keys and logs how many it was asked to copy; the
// argument is a deliberate snapshot and keys is not reassigned.
func (s *Syncer) CopyLogged(keys []string) error {
	defer log.Printf("replica: copy of %d keys finished", len(keys))
	var errs []error
	for _, k := range keys {
		errs = append(errs, s.copyKey(k))
	}
	return errors.Join(errs...)
}

// progress prints done/total every second until the returned stop is called.
func (s *Syncer) progress(ctx context.Context, total int) (stop func()) {
	ticker := time.NewTicker(time.Second)
	done := make(chan struct{})
	go func() {
		defer ticker.Stop()
		for {
			select {
			case <-ticker.C:
				fmt.Fprintf(s.out, "%d/%d\n", s.done.Load(), total)
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return func() { close(done) }
}

// Mirror copies keys, printing progress for large batches.
func (s *Syncer) Mirror(ctx context.Context, keys []string) error {
	stop := func() {}
	defer stop() // HAZ defer-eager-evaluation
	if s.verbose && len(keys) > 100 {
		stop = s.progress(ctx, len(keys))
	}
	for i, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.copyKey(k); err != nil {
			return err
		}
		s.done.Store(int64(i + 1))
	}
	return nil
}

// MirrorQuiet decides on the progress printer before deferring its stop.
func (s *Syncer) MirrorQuiet(ctx context.Context, keys []string) error {
	stop := func() {}
	if s.verbose && len(keys) > 100 {
		stop = s.progress(ctx, len(keys))
	}
	defer stop()
	for i, k := range keys {
		if err := s.copyKey(k); err != nil {
			return err
		}
		s.done.Store(int64(i + 1))
	}
	return nil
}
