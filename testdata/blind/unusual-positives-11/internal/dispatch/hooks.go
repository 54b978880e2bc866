package dispatch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
)

// Hooks are optional callbacks of a job.
type Hooks struct {
	OnStart func(id string)
	OnDone  func()
}

// Job is a unit of work; its hooks are embedded, so OnStart and OnDone are
// promoted fields.
type Job struct {
	Hooks
	ID  string
	Run func(context.Context) error
}

// RunJob runs j between its hooks.
func RunJob(ctx context.Context, j Job) error {
	if j.OnStart != nil {
		j.OnStart(j.ID)
	}
	defer j.OnDone() // HAZ defer-nil-func
	if err := j.Run(ctx); err != nil {
		return fmt.Errorf("job %s: %w", j.ID, err)
	}
	return nil
}

// RunJobHooked fills in no-op hooks before deferring them.
func RunJobHooked(ctx context.Context, j Job) error {
	h := j.Hooks
	if h.OnStart == nil {
		h.OnStart = func(string) {}
	}
	if h.OnDone == nil {
		h.OnDone = func() {}
	}
	h.OnStart(j.ID)
	defer h.OnDone()
	if err := j.Run(ctx); err != nil {
		return fmt.Errorf("job %s: %w", j.ID, err)
	}
	return nil
}

// Consume copies everything from src to sink, closing src afterwards when
// Consume opened it or it is closable.
func Consume(src any, sink io.Writer) (int64, error) {
	var r io.Reader
	var cleanup func()
	switch s := src.(type) {
	case string:
		f, err := os.Open(s)
		if err != nil {
			return 0, fmt.Errorf("consume: %w", err)
		}
		r, cleanup = f, func() { f.Close() }
	case io.ReadCloser:
		r, cleanup = s, func() { s.Close() }
	case io.Reader:
		r = s
	case []byte:
		r = bytes.NewReader(s)
	default:
		return 0, fmt.Errorf("consume: unsupported source %T", src)
	}
	defer cleanup() // HAZ defer-nil-func
	n, err := io.Copy(sink, r)
	if err != nil {
		return n, fmt.Errorf("consume: %w", err)
	}
	return n, nil
}

// ConsumeAll is Consume with a no-op cleanup as the starting value.
func ConsumeAll(src any, sink io.Writer) (int64, error) {
	var r io.Reader
	cleanup := func() {}
	switch s := src.(type) {
	case string:
		f, err := os.Open(s)
		if err != nil {
			return 0, fmt.Errorf("consume: %w", err)
		}
		r, cleanup = f, func() { f.Close() }
	case io.ReadCloser:
		r, cleanup = s, func() { s.Close() }
	case io.Reader:
		r = s
	default:
		return 0, fmt.Errorf("consume: unsupported source %T", src)
	}
	defer cleanup()
	return io.Copy(sink, r)
}

// Shielded runs fn and logs a panic instead of crashing.
func Shielded(logger *log.Logger, name string, fn func()) {
	defer logger.Printf("%s finished (panic: %v)", name, recover()) // HAZ recover-ineffective
	fn()
}

// Convert runs fn and returns a panic that carries an error as that error.
func Convert[T any](fn func() T) (v T, err error) {
	defer func() {
		switch r := recover().(type) { // HAZ recover-swallows-panic
		case nil:
		case error:
			err = fmt.Errorf("%w: %w", ErrPanic, r)
		case string:
			// message-only panics are not errors
		}
	}()
	return fn(), nil
}

// ConvertAll is Convert that turns every panic value into an error.
func ConvertAll[T any](fn func() T) (v T, err error) {
	defer func() {
		switch r := recover().(type) {
		case nil:
		case error:
			err = fmt.Errorf("%w: %w", ErrPanic, r)
		default:
			err = fmt.Errorf("%w: %v", ErrPanic, r)
		}
	}()
	return fn(), nil
}

// Event is delivered to subscribers.
type Event struct {
	Kind string
	Data []byte
}

// Subscriber is one entry of the subscription table.
type Subscriber struct {
	Name   string
	Notify func(Event)
}

// Publish delivers ev to every subscriber asynchronously; a panic while
// publishing is returned as an error.
func Publish(ev Event, subs []Subscriber) (err error) {
	defer Recover(&err)
	if ev.Kind == "" {
		panic("publish: event without kind")
	}
	for _, s := range subs {
		go s.Notify(ev) // HAZ goroutine-outside-recover
	}
	return nil
}

// PublishIsolated gives every subscriber goroutine its own recover.
func PublishIsolated(ev Event, subs []Subscriber, logger *log.Logger) (err error) {
	defer Recover(&err)
	if ev.Kind == "" {
		panic("publish: event without kind")
	}
	for _, s := range subs {
		go func() {
			var perr error
			defer func() {
				if perr != nil {
					logger.Printf("subscriber %s: %v", s.Name, perr)
				}
			}()
			defer Recover(&perr)
			s.Notify(ev)
		}()
	}
	return nil
}

// Fanout runs every subscriber on ev concurrently and waits for all of
// them; a panicking subscriber is logged.
func Fanout(ev Event, subs []Subscriber, logger *log.Logger) {
	var wg sync.WaitGroup
	for _, s := range subs {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					logger.Printf("subscriber %s panicked: %v", s.Name, r)
				}
			}()
			s.Notify(ev)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// FanoutSafe is Fanout with Done deferred first, so it runs after the
// recover on every path.
func FanoutSafe(ev Event, subs []Subscriber, logger *log.Logger) {
	var wg sync.WaitGroup
	for _, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					logger.Printf("subscriber %s panicked: %v", s.Name, r)
				}
			}()
			s.Notify(ev)
		}()
	}
	wg.Wait()
}
