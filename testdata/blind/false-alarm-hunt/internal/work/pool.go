// Package work holds concurrency building blocks: an errgroup-style Group,
// pipelines, fan-in/fan-out and bounded parallelism.
package work

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"example.com/blindg/internal/safe"
)

// ErrTimeout is returned by WithTimeout.
var ErrTimeout = errors.New("work: timed out")

// Group is a minimal errgroup: the first error cancels the shared context.
type Group struct {
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
	cancel  context.CancelFunc
}

// WithContext returns a Group and a context cancelled by the first error or
// by Wait.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// Go runs f in a goroutine; Done is deferred so every path reaches it.
func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

// Wait blocks until all goroutines started by Go have returned.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// ParallelMap applies fn with a fixed number of workers. The job channel is
// closed by the only sender, then wg.Wait joins the workers.
func ParallelMap[T, R any](ctx context.Context, in []T, workers int, fn func(context.Context, T) (R, error)) ([]R, error) {
	out := make([]R, len(in))
	jobs := make(chan int)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r, err := fn(ctx, in[i])
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				out[i] = r
			}
		}()
	}

feed:
	for i := range in {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()

	if firstErr != nil {
		return nil, firstErr
	}
	return out, ctx.Err()
}

// Merge fans in several channels. Senders select on ctx.Done, and out is
// closed by a goroutine after wg.Wait.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	wg.Add(len(inputs))
	for _, in := range inputs {
		go func() {
			defer wg.Done()
			for v := range in {
				select {
				case out <- v:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Generate emits 0..n-1; the only sender owns the channel and closes it.
func Generate(ctx context.Context, n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			select {
			case ch <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

type kv struct {
	key string
	n   int
}

// CrawlAll uses an unbuffered channel but ranges over it until the closer
// goroutine closes it, so every sender is received.
func CrawlAll(ctx context.Context, urls []string, fetch func(context.Context, string) int) map[string]int {
	results := make(chan kv)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- kv{key: u, n: fetch(ctx, u)}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	out := make(map[string]int, len(urls))
	for r := range results {
		out[r.key] = r.n
	}
	return out
}

// RunStage is one pipeline stage: it owns out, and wg.Wait guarantees all
// senders have finished before the deferred close runs.
func RunStage[T any](ctx context.Context, in <-chan T, out chan<- T, workers int, transform func(T) T) {
	defer close(out)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				select {
				case out <- transform(v):
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	wg.Wait()
}

// RunLoops closes stop on return; the goroutines only receive from stop.
func RunLoops(ctx context.Context, loops []func(stop <-chan struct{})) error {
	stop := make(chan struct{})
	defer close(stop) // ok: broadcast; nobody sends on stop
	for _, loop := range loops {
		go loop(stop)
	}
	<-ctx.Done()
	return ctx.Err()
}

type sum struct {
	path, hex string
	err       error
}

// Checksums receives exactly one result per goroutine before returning, so
// the deferred close cannot race with a send.
func Checksums(paths []string) (map[string]string, error) {
	ch := make(chan sum)
	defer close(ch)
	for _, p := range paths {
		go func() {
			h, err := hashFile(p)
			ch <- sum{path: p, hex: h, err: err}
		}()
	}

	out := make(map[string]string, len(paths))
	var errs []error
	for range paths {
		r := <-ch
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		out[r.path] = r.hex
	}
	return out, errors.Join(errs...)
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// MonitorWithDeadline closes quit on return; the probe goroutine only
// receives from quit and sends on errc without blocking.
func MonitorWithDeadline(ctx context.Context, interval time.Duration, probe func() error) error {
	quit := make(chan struct{})
	defer close(quit)
	errc := make(chan error, 1)
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				if err := probe(); err != nil {
					select {
					case errc <- err:
					default:
					}
					return
				}
			}
		}
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case err := <-errc:
		return err
	}
}

// Doc is a fetched document.
type Doc struct {
	ID   string
	Body []byte
}

// FetchAll sends into out from Group goroutines; g.Wait joins them all
// before the deferred close(out) runs.
func FetchAll(ctx context.Context, ids []string, fetch func(context.Context, string) (Doc, error), out chan<- Doc) error {
	defer close(out)
	g, ctx := WithContext(ctx)
	for _, id := range ids {
		g.Go(func() error {
			d, err := fetch(ctx, id)
			if err != nil {
				return err
			}
			select {
			case out <- d:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}
	return g.Wait()
}

// SumSquares calls wg.Done without defer: the goroutine body is straight-line
// arithmetic with no return before Done.
func SumSquares(xs []int, parts int) int {
	if parts < 1 {
		parts = 1
	}
	partial := make([]int, parts)
	var wg sync.WaitGroup
	for w := 0; w < parts; w++ {
		wg.Add(1)
		go func() {
			s := 0
			for i := w; i < len(xs); i += parts {
				s += xs[i] * xs[i]
			}
			partial[w] = s
			wg.Done()
		}()
	}
	wg.Wait()
	total := 0
	for _, s := range partial {
		total += s
	}
	return total
}

func drain(id int, jobs <-chan string, wg *sync.WaitGroup, handle func(int, string)) {
	defer wg.Done()
	for j := range jobs {
		handle(id, j)
	}
}

// StartDrainers passes the WaitGroup to named worker functions that defer
// Done themselves.
func StartDrainers(n int, jobs <-chan string, handle func(int, string)) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go drain(i, jobs, &wg, handle)
	}
	return &wg
}

func serveConn(conn net.Conn, done func(), handle func(net.Conn)) {
	defer done()
	defer conn.Close()
	handle(conn)
}

// AcceptN accepts up to n connections, handing wg.Done to the connection
// handler as a callback that it defers, and waits for all of them.
func AcceptN(ln net.Listener, n int, handle func(net.Conn)) error {
	var wg sync.WaitGroup
	var acceptErr error
	for i := 0; i < n; i++ {
		conn, err := ln.Accept()
		if err != nil {
			acceptErr = err
			break
		}
		wg.Add(1)
		go serveConn(conn, wg.Done, handle)
	}
	wg.Wait()
	return acceptErr
}

// ProcessBounded limits concurrency with a semaphore channel. Each goroutine
// releases the token it acquired, so the deferred receive never blocks.
func ProcessBounded(ctx context.Context, items []string, limit int, fn func(context.Context, string) error) error {
	sem := make(chan struct{}, limit)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, it := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return errors.Join(append(errs, ctx.Err())...)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }() // ok: releases our own token
			if err := fn(ctx, it); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Race returns the first successful result; the channel holds one slot per
// sender, so the losers never block.
func Race[T any](ctx context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, len(fns))
	for _, fn := range fns {
		go func() {
			v, err := fn(ctx)
			ch <- result{v, err}
		}()
	}
	var errs []error
	for range fns {
		select {
		case r := <-ch:
			if r.err == nil {
				return r.v, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
	var zero T
	return zero, errors.Join(errs...)
}

// Lookup abandons a slow resolver on cancellation but starts a drainer, so
// the resolver's send on the unbuffered channel still completes.
func Lookup(ctx context.Context, host string, resolve func(string) ([]string, error)) ([]string, error) {
	type result struct {
		addrs []string
		err   error
	}
	ch := make(chan result)
	go func() {
		addrs, err := resolve(host)
		ch <- result{addrs, err}
	}()
	select {
	case r := <-ch:
		return r.addrs, r.err
	case <-ctx.Done():
		go func() { <-ch }() // ok: drain so the resolver goroutine can exit
		return nil, ctx.Err()
	}
}

// WithTimeout runs fn with a deadline. The sender selects on done, which the
// deferred close releases on every return path.
func WithTimeout(d time.Duration, fn func() error) error {
	done := make(chan struct{})
	defer close(done)
	errc := make(chan error)
	go func() {
		err := fn()
		select {
		case errc <- err:
		case <-done:
		}
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-errc:
		return err
	case <-t.C:
		return ErrTimeout
	}
}

// ScatterSafely gives each goroutine both a deferred Done and its own
// recover.
func ScatterSafely(tasks []func()) {
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer safe.HandlePanic("task " + strconv.Itoa(i))
			task()
		}()
	}
	wg.Wait()
}

// FanOutGuarded converts a panic in its own setup into an error, and every
// goroutine it starts defers Done and its own recover.
func FanOutGuarded(tasks []func()) (err error) {
	defer safe.RecoverError(&err)
	for i, task := range tasks {
		if task == nil {
			panic(fmt.Sprintf("work: task %d is nil", i)) // programmer error, reported as err
		}
	}
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer safe.HandlePanic("fan-out task " + strconv.Itoa(i))
			task()
		}()
	}
	wg.Wait()
	return nil
}

// Loader warms one cache.
type Loader interface {
	Name() string
	Load(ctx context.Context) error
}

// WarmCaches loads all caches concurrently.
func WarmCaches(ctx context.Context, loaders []Loader) {
	var wg sync.WaitGroup
	for _, l := range loaders {
		wg.Add(1)
		go func() {
			if err := l.Load(ctx); err != nil {
				log.Printf("warm %s: %v", l.Name(), err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// FirstResponse returns the body from whichever mirror answers first.
func FirstResponse(ctx context.Context, mirrors []string, fetch func(context.Context, string) (string, error)) (string, error) {
	ch := make(chan string, len(mirrors))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, m := range mirrors {
		go func() {
			if body, err := fetch(ctx, m); err == nil {
				ch <- body
			}
		}()
	}
	select {
	case b := <-ch:
		return b, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
