// Package telemetry ingests device samples into an in-memory ring buffer
// and periodically flushes them to segment files.
package telemetry

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// Sample is one measurement from one device.
type Sample struct {
	DeviceID string    `json:"device"`
	Metric   string    `json:"metric"`
	Value    float64   `json:"value"`
	At       time.Time `json:"at"`
}

// Ring is a fixed-capacity buffer of samples; when full, the oldest
// samples are overwritten and counted as dropped.
type Ring struct {
	mu      sync.RWMutex
	buf     []Sample
	start   int
	n       int
	dropped uint64
	latest  map[string]Sample
}

// NewRing returns a ring holding up to capacity samples.
func NewRing(capacity int) *Ring {
	return &Ring{buf: make([]Sample, capacity), latest: make(map[string]Sample)}
}

// Push adds one sample.
func (r *Ring) Push(s Sample) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pushLocked(s)
}

// PushAll adds a batch of samples under a single lock acquisition.
func (r *Ring) PushAll(batch []Sample) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range batch {
		r.pushLocked(s)
	}
}

// PushBatch adds a batch of samples, taking the lock per sample so that
// readers are not starved by large batches.
func (r *Ring) PushBatch(batch []Sample) {
	for _, s := range batch {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		r.pushLocked(s)
	}
}

// pushLocked appends s; r.mu must be held for writing.
func (r *Ring) pushLocked(s Sample) {
	if len(r.buf) == 0 {
		r.dropped++
		return
	}
	idx := (r.start + r.n) % len(r.buf)
	if r.n == len(r.buf) {
		r.start = (r.start + 1) % len(r.buf)
		r.dropped++
	} else {
		r.n++
	}
	r.buf[idx] = s
	if prev, ok := r.latest[s.DeviceID]; !ok || s.At.After(prev.At) {
		r.latest[s.DeviceID] = s
	}
}

// snapshotLocked returns the buffered samples, oldest first.
func (r *Ring) snapshotLocked() []Sample {
	out := make([]Sample, 0, r.n)
	for i := 0; i < r.n; i++ {
		out = append(out, r.buf[(r.start+i)%len(r.buf)])
	}
	return out
}

// Len returns the number of buffered samples.
func (r *Ring) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.n
}

// Drain removes and returns all buffered samples.
func (r *Ring) Drain() []Sample {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.snapshotLocked()
	r.start, r.n = 0, 0
	return out
}

// Latest returns the most recent sample of a device.
func (r *Ring) Latest(deviceID string) (Sample, bool) {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	s, ok := r.latest[deviceID]
	return s, ok
}

// Query returns the buffered samples of a device and metric since a time.
// An empty metric matches all metrics.
func (r *Ring) Query(deviceID, metric string, since time.Time) []Sample {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []Sample
	for i := 0; i < r.n; i++ {
		s := r.buf[(r.start+i)%len(r.buf)]
		if s.DeviceID != deviceID || s.At.Before(since) {
			continue
		}
		if metric != "" && s.Metric != metric {
			continue
		}
		out = append(out, s)
	}
	return out
}

// Dropped returns the number of samples lost to overflow.
func (r *Ring) Dropped() uint64 {
	r.mu.RLock()
	d := r.dropped
	r.mu.RUnlock()
	return d
}

// Resize changes the capacity, keeping the newest samples.
func (r *Ring) Resize(capacity int) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if capacity <= 0 {
		panic(fmt.Sprintf("telemetry: invalid ring capacity %d", capacity))
	}
	old := r.snapshotLocked()
	r.buf = make([]Sample, capacity)
	r.start, r.n = 0, 0
	for _, s := range old {
		r.pushLocked(s)
	}
	r.mu.Unlock()
}

// Percentile returns the p-th percentile of a device metric over the
// buffered samples since a time.
func (r *Ring) Percentile(deviceID, metric string, since time.Time, p float64) (float64, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	samples := r.Query(deviceID, metric, since) // HAZ lock-reentry-under-defer
	if len(samples) == 0 {
		return 0, false
	}
	vals := make([]float64, len(samples))
	for i, s := range samples {
		vals[i] = s.Value
	}
	sort.Float64s(vals)
	return vals[int(p/100*float64(len(vals)-1))], true
}
