// Package safe contains panic-handling helpers and a small supervisor.
package safe

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// HandlePanic logs a panic with its stack. It must be deferred directly:
// defer safe.HandlePanic("name").
func HandlePanic(name string) {
	if r := recover(); r != nil {
		log.Printf("%s: recovered panic: %v\n%s", name, r, debug.Stack())
	}
}

// RecoverError converts a panic into an error stored in *errp. It must be
// deferred directly: defer safe.RecoverError(&err).
func RecoverError(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
	}
}

// Go starts fn in a goroutine that has its own recover.
func Go(name string, fn func()) {
	go func() {
		defer HandlePanic(name)
		fn()
	}()
}

// Call runs fn and reports a panic as an error.
func Call(fn func()) (err error) {
	defer RecoverError(&err)
	fn()
	return nil
}

type parseError struct{ msg string }

// Node is a parsed integer sum.
type Node struct {
	Terms []int
}

// ParseSum parses "1+2+3". Internal errors are raised as parseError panics
// and converted at the API boundary; any other panic is a bug and is
// re-raised unchanged.
func ParseSum(s string) (n *Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(parseError)
			if !ok {
				panic(r)
			}
			n, err = nil, errors.New(pe.msg)
		}
	}()
	n = &Node{}
	for _, part := range strings.Split(s, "+") {
		n.Terms = append(n.Terms, mustAtoi(strings.TrimSpace(part)))
	}
	return n, nil
}

func mustAtoi(s string) int {
	v, err := strconv.Atoi(s)
	if err != nil {
		panic(parseError{msg: fmt.Sprintf("bad term %q", s)})
	}
	return v
}

// DidPanic reports whether fn panicked and with what value.
func DidPanic(fn func()) (panicked bool, value any) {
	defer func() {
		if value = recover(); value != nil {
			panicked = true
		}
	}()
	fn()
	return false, nil
}

// Supervisor runs named workers and restarts them after a panic.
type Supervisor struct {
	Logger  *log.Logger
	Backoff time.Duration

	wg     sync.WaitGroup
	panics atomic.Int64
}

// report receives the recovered value from the deferred literal.
func (s *Supervisor) report(name string, r any) {
	if r == nil {
		return
	}
	s.panics.Add(1)
	s.Logger.Printf("worker %s panicked: %v\n%s", name, r, debug.Stack())
}

// runOnce calls recover() directly in the deferred literal and hands the
// value to a helper.
func (s *Supervisor) runOnce(ctx context.Context, name string, fn func(context.Context) error) (err error) {
	defer func() { s.report(name, recover()) }()
	return fn(ctx)
}

// Start runs fn until ctx is done, restarting after errors and panics.
func (s *Supervisor) Start(ctx context.Context, name string, fn func(context.Context) error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for ctx.Err() == nil {
			if err := s.runOnce(ctx, name, fn); err != nil {
				s.Logger.Printf("worker %s: %v", name, err)
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(s.Backoff):
			}
		}
	}()
}

// Wait blocks until all started workers have returned.
func (s *Supervisor) Wait() { s.wg.Wait() }

// Panics returns the number of recovered panics.
func (s *Supervisor) Panics() int64 { return s.panics.Load() }

// Broadcast protects itself and gives every goroutine it starts its own
// recover.
func (s *Supervisor) Broadcast(event string, subs []func(string)) (err error) {
	defer RecoverError(&err)
	for _, sub := range subs {
		go func() {
			defer HandlePanic("subscriber")
			sub(event)
		}()
	}
	return nil
}

// recoverWorker is deferred directly by worker goroutines.
func (s *Supervisor) recoverWorker() {
	if r := recover(); r != nil {
		s.panics.Add(1)
		s.Logger.Printf("background worker panicked: %v", r)
	}
}

func (s *Supervisor) pump(ctx context.Context, in <-chan string, handle func(string)) {
	defer s.recoverWorker()
	for {
		select {
		case <-ctx.Done():
			return
		case msg, ok := <-in:
			if !ok {
				return
			}
			handle(msg)
		}
	}
}

// StartPumps builds one handler per pump with a caller-supplied factory
// (which may panic on bad configuration) and reports such a panic as an
// error. Every goroutine it starts runs pump, which defers recoverWorker.
func (s *Supervisor) StartPumps(ctx context.Context, n int, in <-chan string, newHandler func(id int) func(string)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("start pumps: building handler: %v", r)
		}
	}()
	handlers := make([]func(string), n)
	for i := range handlers {
		handlers[i] = newHandler(i)
	}
	for _, h := range handlers {
		go s.pump(ctx, in, h)
	}
	return nil
}

// Launch starts each task through Go, whose goroutine carries its own
// recover; Launch itself has a defensive recover at the API boundary.
func (s *Supervisor) Launch(tasks map[string]func()) (err error) {
	defer RecoverError(&err)
	names := make([]string, 0, len(tasks))
	for name := range tasks {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		Go(name, tasks[name])
	}
	return nil
}

// StartHeartbeat validates its input, recovering defensively, and starts a
// goroutine that defers its own recover.
func (s *Supervisor) StartHeartbeat(ctx context.Context, interval time.Duration, beat func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("start heartbeat: %v", r)
		}
	}()
	if interval <= 0 {
		return errors.New("safe: heartbeat interval must be positive")
	}
	t := time.NewTicker(interval)
	go func() {
		defer t.Stop()
		defer s.recoverWorker()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				beat()
			}
		}
	}()
	return nil
}

// Journal applies operations to a state and restores the previous state
// if an operation panics.
type Journal struct {
	mu    sync.Mutex
	state map[string]int
}

// Apply restores the snapshot under the lock and re-panics; the deferred
// Unlock (registered first) still runs while the panic continues.
func (j *Journal) Apply(op func(map[string]int)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	snapshot := make(map[string]int, len(j.state))
	for k, v := range j.state {
		snapshot[k] = v
	}
	defer func() {
		if r := recover(); r != nil {
			j.state = snapshot
			panic(r)
		}
	}()
	op(j.state)
}

// RunWorkers collects exactly one result per worker: either fn's error or a
// converted panic. errc has capacity n, so neither send can block.
func RunWorkers(ctx context.Context, n int, fn func(ctx context.Context, id int) error) error {
	errc := make(chan error, n)
	for i := range n {
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errc <- fmt.Errorf("worker %d panicked: %v", i, r)
				}
			}()
			errc <- fn(ctx, i)
		}()
	}
	var errs []error
	for range n {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RunJob runs job and reports a panic.
func (s *Supervisor) RunJob(name string, job func()) {
	defer s.report(name, recover()) // HAZ recover-ineffective
	job()
}

// Collect calls a plugin and keeps going if it misbehaves; the panic is
// counted and logged, not silently dropped.
func (s *Supervisor) Collect(plugin func() []string) (out []string) {
	defer func() {
		if r := recover(); r != nil {
			s.panics.Add(1)
			s.Logger.Printf("plugin panicked, skipping its output: %v", r)
			out = nil
		}
	}()
	return plugin()
}

// Dispatch hands events to handlers concurrently.
func (s *Supervisor) Dispatch(events []string, handle func(string)) (err error) {
	defer RecoverError(&err)
	for _, ev := range events {
		go handle(ev) // HAZ goroutine-outside-recover
	}
	return nil
}
