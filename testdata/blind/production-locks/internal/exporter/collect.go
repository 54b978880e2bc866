// Package exporter is the Prometheus-style metrics exporter of the node agent.
package exporter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/blindf/internal/xsync"
)

type Sample struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
	Value  float64           `json:"value"`
	TS     time.Time         `json:"ts"`
}

// Collector is implemented by the built-in and third-party collectors.
type Collector interface {
	Name() string
	Collect(ch chan<- Sample)
}

type Exporter struct {
	log         *slog.Logger
	collectors  []Collector
	client      *http.Client
	remoteURL   string
	scrapeErrs  atomic.Int64
	collectErrs atomic.Int64
}

func New(log *slog.Logger, client *http.Client, remoteURL string, cs ...Collector) *Exporter {
	return &Exporter{log: log, client: client, remoteURL: remoteURL, collectors: cs}
}

// logPanic is deferred directly at the top of collector goroutines.
func (e *Exporter) logPanic(where string) {
	if r := recover(); r != nil {
		e.collectErrs.Add(1)
		e.log.Error("collector panicked", "collector", where, "panic", r, "stack", string(debug.Stack()))
	}
}

// collectOne runs a single collector; third-party collectors have been
// known to panic on malformed /proc entries.
func (e *Exporter) collectOne(c Collector, ch chan<- Sample) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	c.Collect(ch)
}

// collectOneLogged is the replacement for collectOne.
func (e *Exporter) collectOneLogged(c Collector, ch chan<- Sample) {
	defer func() {
		if r := recover(); r != nil {
			e.collectErrs.Add(1)
			e.log.Error("collector panicked", "collector", c.Name(), "panic", r, "stack", string(debug.Stack()))
		}
	}()
	c.Collect(ch)
}

// collectChecked reports a collector panic to the caller as an error.
func (e *Exporter) collectChecked(c Collector, ch chan<- Sample) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("collector %s: panic: %v", c.Name(), r)
		}
	}()
	c.Collect(ch)
	return nil
}

// CollectSequential runs the collectors one after another (debug endpoint).
func (e *Exporter) CollectSequential() ([]Sample, error) {
	ch := make(chan Sample, 256)
	var out []Sample
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for s := range ch {
			out = append(out, s)
		}
	}()
	var firstErr error
	for _, c := range e.collectors {
		if err := e.collectChecked(c, ch); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	close(ch)
	<-drained
	return out, firstErr
}

// Gather runs every collector concurrently. A panicking collector must fail
// the scrape, not the agent.
func (e *Exporter) Gather() (samples []Sample, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("gather: collector panicked: %v", p)
		}
	}()
	ch := make(chan Sample, 256)
	var wg sync.WaitGroup
	for _, c := range e.collectors {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			c.Collect(ch)
		}()
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	for s := range ch {
		samples = append(samples, s)
	}
	sort.Slice(samples, func(i, j int) bool { return samples[i].Name < samples[j].Name })
	return samples, nil
}

// GatherIsolated is Gather with a recover on every collector goroutine.
func (e *Exporter) GatherIsolated() (samples []Sample, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("gather: %v", p)
		}
	}()
	ch := make(chan Sample, 256)
	var wg sync.WaitGroup
	for _, c := range e.collectors {
		wg.Add(1)
		go func() { // ok: has its own deferred recover
			defer wg.Done()
			defer e.logPanic(c.Name())
			c.Collect(ch)
		}()
	}
	go func() {
		defer e.logPanic("gather-closer")
		wg.Wait()
		close(ch)
	}()
	for s := range ch {
		samples = append(samples, s)
	}
	return samples, nil
}

func (e *Exporter) remoteWrite(samples []Sample) {
	body, err := json.Marshal(samples)
	if err != nil {
		e.log.Warn("encode remote write", "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.remoteURL, bytes.NewReader(body))
	if err != nil {
		e.log.Warn("remote write request", "err", err)
		return
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.log.Warn("remote write", "url", e.remoteURL, "err", err)
		return
	}
	_ = resp.Body.Close()
}

func writeSamples(w http.ResponseWriter, samples []Sample) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	for _, s := range samples {
		fmt.Fprintf(w, "%s %g\n", s.Name, s.Value)
	}
}

// ServeHTTP serves /metrics and forwards the same samples to remote storage.
func (e *Exporter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			e.scrapeErrs.Add(1)
			e.log.Error("scrape panicked", "panic", p)
			http.Error(w, "scrape failed", http.StatusInternalServerError)
		}
	}()
	samples, err := e.Gather()
	if err != nil {
		e.scrapeErrs.Add(1)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if e.remoteURL != "" {
		go e.remoteWrite(samples) // HAZ goroutine-outside-recover
	}
	writeSamples(w, samples)
}

// MetricsHandler is the variant mounted on the public port; the remote
// write goes through the panic-safe launcher.
type MetricsHandler struct {
	e *Exporter
}

func (h MetricsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			h.e.scrapeErrs.Add(1)
			h.e.log.Error("scrape panicked", "panic", p)
			http.Error(w, "scrape failed", http.StatusInternalServerError)
		}
	}()
	samples, err := h.e.GatherIsolated()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if h.e.remoteURL != "" {
		xsync.SafeGo(h.e.log, "remote-write", func() { h.e.remoteWrite(samples) }) // ok: SafeGo recovers
	}
	writeSamples(w, samples)
}
