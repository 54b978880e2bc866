// Package shadow keeps the device twins: for every device the state
// operators want (desired) and the state the device last reported.
package shadow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/fleet/internal/trace"
)

// Delta is one change to a device twin.
type Delta struct {
	DeviceID string `json:"device_id"`
	Key      string `json:"key"`
	Desired  any    `json:"desired,omitempty"`
	Reported any    `json:"reported,omitempty"`
	Version  int    `json:"version"`
}

// Doc is the twin of one device.
type Doc struct {
	Desired  map[string]any `json:"desired"`
	Reported map[string]any `json:"reported"`
	Version  int            `json:"version"`
	Updated  time.Time      `json:"updated"`
}

// Update is one desired value for one device.
type Update struct {
	DeviceID string
	Key      string
	Value    any
}

// Store holds all twins.
type Store struct {
	log      *log.Logger
	mu       sync.RWMutex
	docs     map[string]*Doc
	watchers map[string][]chan Delta
}

// New returns an empty store.
func New(logger *log.Logger) *Store {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Store{log: logger, docs: make(map[string]*Doc), watchers: make(map[string][]chan Delta)}
}

// docLocked returns the twin of id, creating it; s.mu must be held.
func (s *Store) docLocked(id string) *Doc {
	d, ok := s.docs[id]
	if !ok {
		d = &Doc{Desired: make(map[string]any), Reported: make(map[string]any)}
		s.docs[id] = d
	}
	return d
}

func (d *Doc) clone() Doc {
	c := Doc{Desired: make(map[string]any, len(d.Desired)), Reported: make(map[string]any, len(d.Reported)), Version: d.Version, Updated: d.Updated}
	for k, v := range d.Desired {
		c.Desired[k] = v
	}
	for k, v := range d.Reported {
		c.Reported[k] = v
	}
	return c
}

// Get returns a copy of a device's twin.
func (s *Store) Get(id string) (Doc, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.docs[id]
	if !ok {
		return Doc{}, false
	}
	return d.clone(), true
}

// notify offers delta to the device's watchers without blocking.
func (s *Store) notify(delta Delta) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, ch := range s.watchers[delta.DeviceID] {
		select {
		case ch <- delta:
		default:
			s.log.Printf("shadow: watcher of %s is slow, dropping delta", delta.DeviceID)
		}
	}
}

// SetDesired records a value an operator wants and tells the watchers.
func (s *Store) SetDesired(id, key string, val any) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docLocked(id)
	d.Desired[key] = val
	d.Version++
	d.Updated = time.Now()
	s.notify(Delta{DeviceID: id, Key: key, Desired: val, Version: d.Version}) // HAZ lock-reentry-under-defer
	return d.Version
}

// Report records the state a device reported and tells the watchers.
func (s *Store) Report(id string, kv map[string]any) int {
	s.mu.Lock()
	d := s.docLocked(id)
	for k, v := range kv {
		d.Reported[k] = v
	}
	d.Version++
	d.Updated = time.Now()
	version := d.Version
	s.mu.Unlock()
	for k, v := range kv {
		s.notify(Delta{DeviceID: id, Key: k, Reported: v, Version: version})
	}
	return version
}

// ApplyBatch sets several desired values, taking the lock once per
// update so that device reports can interleave.
func (s *Store) ApplyBatch(updates []Update) {
	for _, u := range updates {
		func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			d := s.docLocked(u.DeviceID)
			d.Desired[u.Key] = u.Value
			d.Version++
		}()
	}
}

// Pending lists the desired keys the device has not yet reported.
func (s *Store) Pending(id string) []string {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	d, ok := s.docs[id]
	if !ok {
		return nil
	}
	var keys []string
	for k, want := range d.Desired {
		if got, ok := d.Reported[k]; !ok || !reflect.DeepEqual(got, want) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// Watch streams the deltas of a device until ctx is done; the channel is
// closed afterwards.
func (s *Store) Watch(ctx context.Context, id string) <-chan Delta {
	ch := make(chan Delta, 16)
	s.mu.Lock()
	s.watchers[id] = append(s.watchers[id], ch)
	s.mu.Unlock()
	go func() {
		<-ctx.Done()
		s.unwatch(id, ch)
	}()
	return ch
}

func (s *Store) unwatch(id string, ch chan Delta) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.watchers[id]
	for i, c := range list {
		if c == ch {
			s.watchers[id] = append(list[:i], list[i+1:]...)
			close(ch)
			return
		}
	}
}

// WaitConverged waits until the device has reported every desired value.
func (s *Store) WaitConverged(ctx context.Context, id string, poll time.Duration) error {
	done := make(chan struct{})
	go func() {
		for len(s.Pending(id)) > 0 {
			time.Sleep(poll)
		}
		done <- struct{}{} // HAZ goroutine-blocked-send
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Delete forgets a device's twin; it refuses while operators watch it.
func (s *Store) Delete(id string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if n := len(s.watchers[id]); n > 0 {
		return fmt.Errorf("shadow: %s has %d active watchers", id, n)
	}
	delete(s.docs, id)
	s.mu.Unlock()
	return nil
}

// SaveAll writes one JSON file per twin into dir.
func (s *Store) SaveAll(dir string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for id, d := range s.docs {
		f, err := os.Create(filepath.Join(dir, id+".json"))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop defer-close-unchecked-write
		if err := json.NewEncoder(f).Encode(d); err != nil {
			return err
		}
	}
	return nil
}

// LoadAll reads the twins saved by SaveAll.
func (s *Store) LoadAll(dir string) (int, error) {
	defer trace.Region("shadow.load") // HAZ defer-func-result-not-called
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return 0, err
	}
	loaded := make(map[string]*Doc, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return 0, err
		}
		var d Doc
		if err := json.Unmarshal(data, &d); err != nil {
			return 0, fmt.Errorf("shadow: %s: %w", p, err)
		}
		loaded[strings.TrimSuffix(filepath.Base(p), ".json")] = &d
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, d := range loaded {
		s.docs[id] = d
	}
	return len(loaded), nil
}

func (s *Store) snapshotDesired() map[string]map[string]any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]map[string]any, len(s.docs))
	for id, d := range s.docs {
		out[id] = d.clone().Desired
	}
	return out
}

// PushDesired sends every device its desired state through send, one
// goroutine per device. A panic while pushing is returned as an error.
func (s *Store) PushDesired(ctx context.Context, send func(context.Context, string, map[string]any) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("shadow: push desired: %v", r)
		}
	}()
	all := s.snapshotDesired()
	errc := make(chan error, len(all))
	var wg sync.WaitGroup
	for id, desired := range all {
		wg.Add(1)
		go func(id string, desired map[string]any) { // HAZ goroutine-outside-recover
			defer wg.Done()
			if err := send(ctx, id, desired); err != nil {
				errc <- fmt.Errorf("%s: %w", id, err)
			}
		}(id, desired)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for e := range errc {
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}

// PushDesiredIsolated is PushDesired where every push goroutine recovers
// its own panics and reports them as errors.
func (s *Store) PushDesiredIsolated(ctx context.Context, send func(context.Context, string, map[string]any) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("shadow: push desired: %v", r)
		}
	}()
	all := s.snapshotDesired()
	errc := make(chan error, len(all))
	var wg sync.WaitGroup
	for id, desired := range all {
		wg.Add(1)
		go func(id string, desired map[string]any) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errc <- fmt.Errorf("%s: panic: %v", id, r)
				}
			}()
			if err := send(ctx, id, desired); err != nil {
				errc <- fmt.Errorf("%s: %w", id, err)
			}
		}(id, desired)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for e := range errc {
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}
