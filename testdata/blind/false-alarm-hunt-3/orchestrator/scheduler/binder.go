package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/falsealarm3/internal/safe"
	"example.com/falsealarm3/internal/syncx"
)

// Pod is a pending pod.
type Pod struct {
	Name     string
	CPU, Mem int64
	Priority int
}

// BindFunc binds a pod to a node in the API server.
type BindFunc func(ctx context.Context, pod, node string) error

// Scheduler ties the cache, the queue and the binder together.
type Scheduler struct {
	cache *Cache
	bind  BindFunc

	mu       sync.Mutex
	inflight map[string]bool
	bound    int
	failed   int
}

// NewScheduler returns a scheduler.
func NewScheduler(c *Cache, bind BindFunc) *Scheduler {
	return &Scheduler{cache: c, bind: bind, inflight: map[string]bool{}}
}

// ScheduleOne picks a node, assumes the pod, then binds asynchronously. On
// bind failure the assumption is forgotten.
func (s *Scheduler) ScheduleOne(ctx context.Context, p Pod) (string, error) {
	cands := s.cache.Filter(p.CPU, p.Mem)
	if len(cands) == 0 {
		return "", fmt.Errorf("no node fits %s", p.Name)
	}
	node := cands[0].Name
	if err := s.cache.Assume(p.Name, node, p.CPU, p.Mem); err != nil {
		return "", err
	}
	if !s.markInflight(p.Name) {
		s.cache.Forget(p.Name, p.CPU, p.Mem)
		return "", fmt.Errorf("pod %s is already being bound", p.Name)
	}
	go func() {
		s.bindOne(ctx, p, node)
		s.clearInflight(p.Name)
	}()
	return node, nil
}

// bindOne performs the bind, containing panics so clearInflight still runs.
func (s *Scheduler) bindOne(ctx context.Context, p Pod, node string) {
	defer safe.LogPanic("bind " + p.Name)
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := s.bind(bctx, p.Name, node); err != nil {
		log.Printf("bind %s to %s: %v", p.Name, node, err)
		s.cache.Forget(p.Name, p.CPU, p.Mem)
		s.count(false)
		return
	}
	s.count(true)
}

func (s *Scheduler) markInflight(pod string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight[pod] {
		return false
	}
	s.inflight[pod] = true
	return true
}

// clearInflight forgets an in-flight bind.
func (s *Scheduler) clearInflight(pod string) {
	s.mu.Lock()
	delete(s.inflight, pod)
	s.mu.Unlock()
}

func (s *Scheduler) count(ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ok {
		s.bound++
	} else {
		s.failed++
	}
}

// Counts returns bound and failed counters.
func (s *Scheduler) Counts() (bound, failed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bound, s.failed
}

// ScheduleBatch schedules pods concurrently; each goroutine writes to its own
// slot, so the slice needs no lock.
func (s *Scheduler) ScheduleBatch(ctx context.Context, pods []Pod) []string {
	nodes := make([]string, len(pods))
	var wg sync.WaitGroup
	for i, p := range pods {
		wg.Add(1)
		go func() { // ok: i and p are per-iteration at go1.22
			defer wg.Done()
			n, err := s.ScheduleOne(ctx, p)
			if err != nil {
				n = "<pending>"
			}
			nodes[i] = n
		}()
	}
	wg.Wait()
	return nodes
}

// Preempt evicts victims on node, one goroutine per victim, and returns when
// all evictions finished or ctx ends.
func (s *Scheduler) Preempt(ctx context.Context, node string, victims []Pod, evict func(context.Context, string) error) error {
	g, gctx := syncx.WithContext(ctx)
	for _, v := range victims {
		g.Go(func() error {
			if err := evict(gctx, v.Name); err != nil {
				return fmt.Errorf("evict %s from %s: %w", v.Name, node, err)
			}
			s.cache.Forget(v.Name, v.CPU, v.Mem)
			return nil
		})
	}
	return g.Wait()
}

// RetryBind retries a bind with backoff. attempt is declared outside the
// loop so it can be reported after the loop ends.
func (s *Scheduler) RetryBind(ctx context.Context, pod, node string, max int) error {
	var attempt int
	var lastErr error
	for attempt = 1; attempt <= max; attempt++ {
		if lastErr = s.bind(ctx, pod, node); lastErr == nil {
			break
		}
		if err := syncx.Sleep(ctx, time.Duration(attempt)*100*time.Millisecond); err != nil {
			return err
		}
	}
	if lastErr != nil {
		return fmt.Errorf("bind %s after %d attempts: %w", pod, attempt-1, lastErr)
	}
	return nil
}

// BindAll binds pods to their nodes in parallel and reports which index
// failed. The index variable is declared outside the loop for the summary.
func (s *Scheduler) BindAll(ctx context.Context, pods []string, nodes []string) error {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []int
		i      int
	)
	for i = 0; i < len(pods); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := s.bind(ctx, pods[i], nodes[i]); err != nil {
				mu.Lock()
				failed = append(failed, i)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d binds failed (first index %d)", len(failed), i, failed[0])
	}
	return nil
}

// BindAllIndexed declares the index in the loop header (per-iteration at
// go1.22) and uses a separate counter for the summary.
func (s *Scheduler) BindAllIndexed(ctx context.Context, pods []string, nodes []string) error {
	errs := make([]error, len(pods))
	var wg sync.WaitGroup
	for i := 0; i < len(pods); i++ {
		wg.Add(1)
		go func() { // ok: i declared by the loop, go1.22
			defer wg.Done()
			errs[i] = s.bind(ctx, pods[i], nodes[i])
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// DrainAll drains several nodes concurrently, each with its own recover, and
// joins the errors.
func (s *Scheduler) DrainAll(nodes []string, evict func(string) error) error {
	var g safe.Group
	for _, n := range nodes {
		g.Go(func() error { return s.cache.Drain(n, evict) })
	}
	return g.Wait()
}
