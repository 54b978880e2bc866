//go:build go1.21

// Package legacy keeps the sink flushing and shard reindexing of the v1
// exporter until the last v1 collectors are retired.
package legacy

import (
	"fmt"
	"log"
	"sync"
)

// Sink is a v1 output that buffers writes.
type Sink interface {
	Name() string
	Flush() error
}

// FlushAll flushes every sink concurrently and reports the failures.
func FlushAll(sinks []Sink) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	started := 0
	for _, s := range sinks {
		if s == nil {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := s.Flush(); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", s.Name(), err))
				mu.Unlock()
			}
		}()
		started++
	}
	wg.Wait()
	log.Printf("legacy: flushed %d sinks", started)
	return errs
}

// FlushEach is FlushAll with the sink passed to the goroutine as an
// argument, which is correct under the pre-1.22 loop semantics of this file.
func FlushEach(sinks []Sink) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	started := 0
	for _, s := range sinks {
		if s == nil {
			continue
		}
		wg.Add(1)
		go func(s Sink) {
			defer wg.Done()
			if err := s.Flush(); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", s.Name(), err))
				mu.Unlock()
			}
		}(s)
		started++
	}
	wg.Wait()
	log.Printf("legacy: flushed %d sinks", started)
	return errs
}

// CloseSinks flushes the sinks one by one; the copy s := s keeps each
// deferred log line on its own sink under the pre-1.22 semantics.
func CloseSinks(sinks []Sink) error {
	for _, s := range sinks {
		s := s
		err := func() error {
			defer func() { log.Printf("legacy: sink %s closed", s.Name()) }()
			return s.Flush()
		}()
		if err != nil {
			return err
		}
	}
	return nil
}
