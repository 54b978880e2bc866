package safe

import (
	"context"
	"fmt"
	"log"
)

// Supervise runs the tasks concurrently and returns the first error. A
// panic in Supervise itself becomes an error.
func Supervise(ctx context.Context, tasks map[string]func(context.Context) error) (err error) {
	defer Recover(&err)
	errc := make(chan error, len(tasks))
	for name, task := range tasks {
		go func() { // HAZ goroutine-outside-recover
			if terr := task(ctx); terr != nil {
				errc <- fmt.Errorf("%s: %w", name, terr)
				return
			}
			errc <- nil
		}()
	}
	for range tasks {
		if terr := <-errc; terr != nil && err == nil {
			err = terr
		}
	}
	return err
}

// SuperviseGuarded is Supervise where each goroutine recovers on its own
// through runGuarded.
func SuperviseGuarded(ctx context.Context, tasks map[string]func(context.Context) error) (err error) {
	defer Recover(&err)
	errc := make(chan error, len(tasks))
	for name, task := range tasks {
		go func() {
			errc <- runGuarded(ctx, name, task)
		}()
	}
	for range tasks {
		if terr := <-errc; terr != nil && err == nil {
			err = terr
		}
	}
	return err
}

// runGuarded runs one task with its own deferred recover.
func runGuarded(ctx context.Context, name string, task func(context.Context) error) (err error) {
	defer Recover(&err)
	if terr := task(ctx); terr != nil {
		return fmt.Errorf("%s: %w", name, terr)
	}
	return nil
}

// StartAll starts the background services and returns the function that
// stops them. A panic while starting is returned as an error.
func StartAll(ctx context.Context, services map[string]func(context.Context)) (stop func(), err error) {
	guard := Recover
	defer guard(&err)
	ctx, cancel := context.WithCancel(ctx)
	starters := make([]func(), 0, len(services))
	for name, run := range services {
		if run == nil {
			cancel()
			return nil, fmt.Errorf("safe: service %s has no run function", name)
		}
		starters = append(starters, func() {
			go run(ctx) // HAZ goroutine-outside-recover
		})
	}
	for _, start := range starters {
		start()
	}
	return cancel, nil
}

// StartAllGuarded is StartAll where every service goroutine defers its own
// recover before running.
func StartAllGuarded(ctx context.Context, l *log.Logger, services map[string]func(context.Context)) (stop func(), err error) {
	guard := Recover
	defer guard(&err)
	ctx, cancel := context.WithCancel(ctx)
	starters := make([]func(), 0, len(services))
	for name, run := range services {
		if run == nil {
			cancel()
			return nil, fmt.Errorf("safe: service %s has no run function", name)
		}
		starters = append(starters, func() {
			go func() {
				defer LogPanic(l, "service "+name)
				run(ctx)
			}()
		})
	}
	for _, start := range starters {
		start()
	}
	return cancel, nil
}

// Pump hands every message from in to handle in its own goroutine until
// quit is closed.
func Pump(in <-chan string, quit <-chan struct{}, handle func(string)) {
	for {
		select {
		case msg := <-in:
			go func() {
				defer recover() // HAZ recover-ineffective
				handle(msg)
			}()
		case <-quit:
			return
		}
	}
}

// PumpGuarded is Pump with a recover that is called by the deferred
// function itself.
func PumpGuarded(in <-chan string, quit <-chan struct{}, l *log.Logger, handle func(string)) {
	for {
		select {
		case msg := <-in:
			go func() {
				defer LogPanic(l, "pump")
				handle(msg)
			}()
		case <-quit:
			return
		}
	}
}
