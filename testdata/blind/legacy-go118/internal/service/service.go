// Package service is the context-driven core of the sync daemon: it looks
// keys up in a backend, reindexes shards and runs maintenance hooks.
package service

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os/exec"
	"sync"
	"time"
)

// Backend is the storage the service fronts.
type Backend interface {
	Get(ctx context.Context, key string) (string, error)
	Put(ctx context.Context, key, val string) error
	Keys(ctx context.Context, shard int) ([]string, error)
}

// Lease is a held distributed lease.
type Lease interface {
	Release() error
}

// Leaser hands out named leases.
type Leaser interface {
	Acquire(ctx context.Context, name string) (Lease, error)
}

// Service ties a backend, leases and an audit log together.
type Service struct {
	backend Backend
	leases  Leaser
	shards  []int
	audit   *auditLog
	hooks   []string

	mu      sync.Mutex
	indexed map[int]int
}

// New returns a service over backend.
func New(backend Backend, leases Leaser, shards []int) *Service {
	return &Service{
		backend: backend,
		leases:  leases,
		shards:  shards,
		audit:   newAuditLog(64),
		indexed: make(map[int]int),
	}
}

type result struct {
	val string
	err error
}

// Lookup fetches key, giving up when ctx ends.
func (s *Service) Lookup(ctx context.Context, key string) (string, error) {
	ch := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		v, err := s.backend.Get(context.Background(), key)
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// LookupBuffered is Lookup with room for the late result.
func (s *Service) LookupBuffered(ctx context.Context, key string) (string, error) {
	ch := make(chan result, 1)
	go func() {
		v, err := s.backend.Get(ctx, key)
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// LookupSelect is Lookup whose sender also watches ctx.
func (s *Service) LookupSelect(ctx context.Context, key string) (string, error) {
	ch := make(chan result)
	go func() {
		v, err := s.backend.Get(ctx, key)
		select {
		case ch <- result{v, err}:
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// LookupWait always receives the result.
func (s *Service) LookupWait(ctx context.Context, key string) (string, error) {
	ch := make(chan result)
	go func() {
		v, err := s.backend.Get(ctx, key)
		ch <- result{v, err}
	}()
	r := <-ch
	return r.val, r.err
}

// trace logs entry to name and returns the matching exit logger.
func trace(name string) func() {
	start := time.Now()
	log.Printf("enter %s", name)
	return func() { log.Printf("exit %s after %v", name, time.Since(start)) }
}

func logDuration(op string, d time.Duration) {
	log.Printf("%s took %v", op, d)
}

func logResult(op string, err error) {
	if err != nil {
		log.Printf("%s failed: %v", op, err)
		return
	}
	log.Printf("%s ok", op)
}

// Reindex rebuilds the key counts of every shard.
func (s *Service) Reindex(ctx context.Context) error {
	defer trace("Reindex") // HAZ defer-func-result-not-called
	for _, sh := range s.shards {
		if err := s.reindexShard(ctx, sh); err != nil {
			return err
		}
	}
	return nil
}

// ReindexShards is Reindex with the exit logger actually deferred.
func (s *Service) ReindexShards(ctx context.Context, shards []int) error {
	defer trace("ReindexShards")()
	for _, sh := range shards {
		if err := s.reindexShard(ctx, sh); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) reindexShard(ctx context.Context, shard int) error {
	keys, err := s.backend.Keys(ctx, shard)
	if err != nil {
		return fmt.Errorf("shard %d: %w", shard, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.indexed[shard] = len(keys)
	return nil
}

// Refresh reindexes all shards concurrently and waits for them.
func (s *Service) Refresh(ctx context.Context) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	pending := 0
	for _, sh := range s.shards {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := s.reindexShard(ctx, sh); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
		pending++
	}
	log.Printf("refresh: %d shards pending", pending)
	wg.Wait()
	return first
}

// RefreshEach is Refresh with the shard passed in.
func (s *Service) RefreshEach(ctx context.Context) error {
	errs := make([]error, len(s.shards))
	var wg sync.WaitGroup
	for i, sh := range s.shards {
		wg.Add(1)
		go func(i, sh int) {
			defer wg.Done()
			errs[i] = s.reindexShard(ctx, sh)
		}(i, sh)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Backfill copies the keys of one shard into another.
func (s *Service) Backfill(ctx context.Context, from, to int) error {
	start := time.Now()
	defer logDuration("backfill", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	keys, err := s.backend.Keys(ctx, from)
	if err != nil {
		return err
	}
	for _, k := range keys {
		v, err := s.backend.Get(ctx, k)
		if err != nil {
			return err
		}
		if err := s.backend.Put(ctx, fmt.Sprintf("%d/%s", to, k), v); err != nil {
			return err
		}
	}
	return nil
}

// Copy copies one key and logs how long it took when it returns.
func (s *Service) Copy(ctx context.Context, from, to string) error {
	start := time.Now()
	defer func() { logDuration("copy", time.Since(start)) }()
	v, err := s.backend.Get(ctx, from)
	if err != nil {
		return err
	}
	return s.backend.Put(ctx, to, v)
}

// Migrate rewrites every key of shard with fn.
func (s *Service) Migrate(ctx context.Context, shard int, fn func(string) string) error {
	var err error
	defer logResult("migrate", err) // HAZ defer-eager-evaluation
	keys, err := s.backend.Keys(ctx, shard)
	if err != nil {
		return err
	}
	for _, k := range keys {
		var v string
		if v, err = s.backend.Get(ctx, k); err != nil {
			return err
		}
		if err = s.backend.Put(ctx, k, fn(v)); err != nil {
			return err
		}
	}
	return nil
}

// MigrateLogged is Migrate reporting the final error.
func (s *Service) MigrateLogged(ctx context.Context, shard int, fn func(string) string) (err error) {
	defer func() { logResult("migrate", err) }()
	keys, err := s.backend.Keys(ctx, shard)
	if err != nil {
		return err
	}
	for _, k := range keys {
		v, err := s.backend.Get(ctx, k)
		if err != nil {
			return err
		}
		if err := s.backend.Put(ctx, k, fn(v)); err != nil {
			return err
		}
	}
	return nil
}

// Describe logs the shard list as it was when the call started.
func (s *Service) Describe(ctx context.Context) int {
	n := len(s.shards)
	defer log.Printf("describe: %d shards", n) // ok: n is not changed afterwards
	total := 0
	s.mu.Lock()
	for _, c := range s.indexed {
		total += c
	}
	s.mu.Unlock()
	return total
}

// WithLease runs fn while holding the named lease.
func (s *Service) WithLease(ctx context.Context, name string, fn func() error) error {
	lease, err := s.leases.Acquire(ctx, name)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lease.Release(); rerr != nil {
			err = fmt.Errorf("release lease %s: %w", name, rerr)
		}
	}()
	err = fn()
	return err
}

// WithLeaseChecked runs fn while holding the lease and reports release errors.
func (s *Service) WithLeaseChecked(ctx context.Context, name string, fn func() error) (err error) {
	lease, err := s.leases.Acquire(ctx, name)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := lease.Release(); rerr != nil && err == nil {
			err = fmt.Errorf("release lease %s: %w", name, rerr)
		}
	}()
	return fn()
}

// ErrHookFailed wraps a failing maintenance hook.
var ErrHookFailed = errors.New("service: hook failed")

// RunHook starts an external maintenance hook and streams nothing back.
func RunHook(path string, args ...string) error {
	cmd := exec.Command(path, args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%w: %v", ErrHookFailed, err)
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	log.Printf("hook %s started as pid %d", path, cmd.Process.Pid)
	return nil
}

// RunHookTimeout runs the hook to completion under a deadline.
func RunHookTimeout(ctx context.Context, timeout time.Duration, path string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: %v: %s", ErrHookFailed, err, out)
	}
	return nil
}

// RunHooks runs every configured hook in order.
func (s *Service) RunHooks(ctx context.Context) error {
	for _, h := range s.hooks {
		if err := RunHookTimeout(ctx, 30*time.Second, h); err != nil {
			return err
		}
	}
	return nil
}

// Probe asks every address in turn whether it is alive and returns the
// first that answers within timeout.
func Probe(addrs []string, timeout time.Duration, alive func(string) bool) (string, error) {
	ch := make(chan string, len(addrs))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, a := range addrs {
		go func(a string) {
			if alive(a) {
				ch <- a
			}
		}(a)
	}
	select {
	case a := <-ch:
		return a, nil
	case <-time.After(timeout):
		return "", errors.New("service: no address answered")
	}
}

// ProbeAll asks every address and returns those that answered.
func ProbeAll(addrs []string, alive func(string) bool) []string {
	ch := make(chan string, len(addrs))
	var wg sync.WaitGroup
	for _, a := range addrs {
		wg.Add(1)
		go func(a string) {
			defer wg.Done()
			if alive(a) {
				ch <- a
			}
		}(a)
	}
	wg.Wait()
	close(ch)
	var out []string
	for a := range ch {
		out = append(out, a)
	}
	return out
}

// Heartbeat pings the backend with retries, logging each attempt from its
// own goroutine so that a slow logger does not delay the next attempt.
func (s *Service) Heartbeat(ctx context.Context, attempts int) error {
	var err error
	for attempt := 1; attempt <= attempts; attempt++ {
		_, err = s.backend.Get(ctx, "__heartbeat")
		go func(err error) { // HAZ loop-var-capture
			log.Printf("heartbeat attempt %d/%d: err=%v", attempt, attempts, err)
		}(err)
		if err == nil {
			return nil
		}
	}
	return err
}
