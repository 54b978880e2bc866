package exporter

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Agent is the long-running node agent loop.
type Agent struct {
	log      *slog.Logger
	exp      *Exporter
	every    time.Duration
	beatURL  string
	client   *http.Client
	lastBeat time.Time
}

func (a *Agent) recoverPanic(where string) {
	if r := recover(); r != nil {
		a.log.Error("agent panic", "where", where, "panic", r, "stack", string(debug.Stack()))
	}
}

func (a *Agent) heartbeat(ctx context.Context) {
	t := time.NewTicker(a.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			req, err := http.NewRequestWithContext(ctx, http.MethodPut, a.beatURL, nil)
			if err != nil {
				a.log.Warn("heartbeat request", "err", err)
				continue
			}
			resp, err := a.client.Do(req)
			if err != nil {
				a.log.Warn("heartbeat failed", "err", err)
				continue
			}
			_ = resp.Body.Close()
			a.lastBeat = now
		}
	}
}

func (a *Agent) scrapeLoop(ctx context.Context) error {
	t := time.NewTicker(a.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if _, err := a.exp.Gather(); err != nil {
				a.log.Warn("scrape failed", "err", err)
			}
		}
	}
}

// Run is the agent's main loop; a panic is logged and ends the loop so the
// supervisor can restart it.
func (a *Agent) Run(ctx context.Context) error {
	defer a.recoverPanic("agent.Run")
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go a.heartbeat(ctx) // HAZ goroutine-outside-recover
	return a.scrapeLoop(ctx)
}

func (a *Agent) heartbeatWorker(ctx context.Context) {
	defer a.recoverPanic("heartbeat")
	a.heartbeat(ctx)
}

// RunSupervised is Run with the heartbeat goroutine protected as well.
func (a *Agent) RunSupervised(ctx context.Context) error {
	defer a.recoverPanic("agent.RunSupervised")
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go a.heartbeatWorker(ctx) // ok: heartbeatWorker defers its own recover
	return a.scrapeLoop(ctx)
}

// CronEntry is one scheduled maintenance job of the agent.
type CronEntry struct {
	Name  string
	Every time.Duration
	Next  time.Time
	Job   func()
}

type Cron struct {
	log     *slog.Logger
	entries []*CronEntry
}

// runEntry runs one due entry and schedules the next run.
func (c *Cron) runEntry(e *CronEntry, now time.Time) {
	defer func() {
		if recover() != nil { // HAZ recover-swallows-panic
			// a misbehaving job must not stop the cron loop
		}
	}()
	e.Next = now.Add(e.Every)
	e.Job()
}

// Tick runs every entry that is due.
func (c *Cron) Tick(now time.Time) {
	for _, e := range c.entries {
		if !now.Before(e.Next) {
			c.runEntry(e, now)
		}
	}
}

// StatsdSink mirrors samples to a local statsd daemon.
type StatsdSink struct {
	conn   net.Conn
	prefix string
	buf    bytes.Buffer
}

func (s *StatsdSink) format(smp Sample) string {
	var b strings.Builder
	b.WriteString(s.prefix)
	b.WriteString(smp.Name)
	for _, k := range sortedKeys(smp.Labels) {
		b.WriteString("," + k + "=" + smp.Labels[k])
	}
	fmt.Fprintf(&b, ":%g|g\n", smp.Value)
	return b.String()
}

// emit buffers one sample; statsd is best effort.
func (s *StatsdSink) emit(smp Sample) {
	quiet := func() {
		recover() // HAZ recover-swallows-panic
	}
	defer quiet()
	s.buf.WriteString(s.format(smp))
	if s.buf.Len() > 1400 {
		_, _ = s.conn.Write(s.buf.Bytes())
		s.buf.Reset()
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// Alert is what the dispatcher delivers to alert receivers.
type Alert struct {
	Name   string
	Labels map[string]string
	Fired  time.Time
}

type Receiver interface {
	Name() string
	Notify(ctx context.Context, a Alert) error
}

// Dispatcher delivers alerts to receivers.
type Dispatcher struct {
	log       *slog.Logger
	receivers []Receiver
	timeout   time.Duration
}

// deliverAsync fires and forgets a single notification.
func (d *Dispatcher) deliverAsync(rcv Receiver, a Alert) {
	go func() {
		defer func() { _ = recover() }() // HAZ recover-swallows-panic
		ctx, cancel := context.WithTimeout(context.Background(), d.timeout)
		defer cancel()
		if err := rcv.Notify(ctx, a); err != nil {
			d.log.Warn("alert delivery failed", "receiver", rcv.Name(), "alert", a.Name, "err", err)
		}
	}()
}

// deliverAll notifies every receiver and reports failures, including
// receivers that panic.
func (d *Dispatcher) deliverAll(ctx context.Context, a Alert) error {
	errs := make([]error, len(d.receivers))
	var wg sync.WaitGroup
	for i, rcv := range d.receivers {
		wg.Add(1)
		go func() { // ok: the goroutine recovers for itself
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("receiver %s panicked: %v", rcv.Name(), r)
				}
			}()
			if err := rcv.Notify(ctx, a); err != nil {
				errs[i] = fmt.Errorf("receiver %s: %w", rcv.Name(), err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RecoverMiddleware keeps the admin server up when a handler panics.
func RecoverMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if err := recover(); err != nil { // HAZ recover-swallows-panic
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// LoggingRecoverMiddleware is what the public listener uses.
func LoggingRecoverMiddleware(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if err := recover(); err != nil {
				if err == http.ErrAbortHandler {
					panic(err)
				}
				log.Error("handler panicked", "path", r.URL.Path, "panic", err, "stack", string(debug.Stack()))
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// abortStream is panicked by the stream writer to unwind a stream whose
// client has gone away.
type abortStream struct{ reason string }

// StreamHandler serves the live sample stream.
type StreamHandler struct {
	log *slog.Logger
	exp *Exporter
}

func (h *StreamHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			if a, ok := p.(abortStream); ok {
				h.log.Debug("stream aborted", "reason", a.reason)
				return
			}
			panic(p) // ok: anything but our own sentinel continues
		}
	}()
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	for r.Context().Err() == nil {
		samples, err := h.exp.Gather()
		if err != nil {
			panic(abortStream{reason: err.Error()})
		}
		writeSamples(w, samples)
		flusher.Flush()
		time.Sleep(time.Second)
	}
}

// SpoolWriter appends samples to a local spool file for later replay.
type SpoolWriter struct {
	f *os.File
	w *bufio.Writer
}

// Append writes one record; on a panic the partial record is discarded and
// the panic continues.
func (s *SpoolWriter) Append(rec []byte) (err error) {
	mark := s.w.Buffered()
	defer func() {
		if r := recover(); r != nil {
			s.w.Reset(s.f)
			panic(fmt.Sprintf("spool append (buffered %d): %v", mark, r))
		}
	}()
	if _, err := s.w.Write(rec); err != nil {
		return err
	}
	return s.w.WriteByte('\n')
}
