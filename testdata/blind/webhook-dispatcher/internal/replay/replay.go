// Package replay re-sends archived or dead-lettered deliveries, for incident
// recovery ("the receiver was down from 02:10 to 03:40, send it all again").
package replay

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/webhooks/internal/delivery"
	"example.com/webhooks/internal/metrics"
)

// Sender is implemented by *delivery.Sender.
type Sender interface {
	Deliver(ctx context.Context, d delivery.Delivery) delivery.Result
}

// Filter selects the deliveries to replay. Zero fields match everything.
type Filter struct {
	Tenant string
	Event  string
	Since  time.Time
	Until  time.Time
}

// Match reports whether d passes the filter.
func (f Filter) Match(d delivery.Delivery) bool {
	if f.Tenant != "" && d.TenantID != f.Tenant {
		return false
	}
	if f.Event != "" && d.Event != f.Event {
		return false
	}
	if !f.Since.IsZero() && d.CreatedAt.Before(f.Since) {
		return false
	}
	if !f.Until.IsZero() && !d.CreatedAt.Before(f.Until) {
		return false
	}
	return true
}

// Counts summarises a replay.
type Counts struct {
	Seen, Sent, Failed, Skipped int
}

// Log writes the summary line.
func (c Counts) Log(l *log.Logger) {
	l.Printf("replay: seen=%d sent=%d failed=%d skipped=%d", c.Seen, c.Sent, c.Failed, c.Skipped)
}

// Stats accumulates Counts; safe for concurrent use.
type Stats struct {
	mu sync.Mutex
	c  Counts
}

func (s *Stats) add(d Counts) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.c.Seen += d.Seen
	s.c.Sent += d.Sent
	s.c.Failed += d.Failed
	s.c.Skipped += d.Skipped
}

// Snapshot returns the counts so far.
func (s *Stats) Snapshot() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c
}

// Options configure a Replayer.
type Options struct {
	Filter   Filter
	DryRun   bool
	Spacing  time.Duration // pause between sends, to spare the receiver
	PauseURL string        // dispatcher admin endpoint to pause live traffic
}

// Replayer re-sends deliveries.
type Replayer struct {
	send    Sender
	opts    Options
	stats   Stats
	metrics *metrics.Registry
	log     *log.Logger
}

// New returns a Replayer.
func New(send Sender, opts Options, reg *metrics.Registry, logger *log.Logger) *Replayer {
	return &Replayer{send: send, opts: opts, metrics: reg, log: logger}
}

// Counts returns the counters so far.
func (r *Replayer) Counts() Counts {
	return r.stats.Snapshot()
}

// Run replays every archive in paths, in order, and logs a summary.
func (r *Replayer) Run(ctx context.Context, paths []string) error {
	defer r.stats.Snapshot().Log(r.log) // HAZ defer-call-chain
	for _, p := range paths {
		if err := r.replayFile(ctx, p); err != nil {
			return fmt.Errorf("replay %s: %w", p, err)
		}
	}
	return nil
}

// ReplayManifest replays the archives listed in an incident manifest.
func (r *Replayer) ReplayManifest(ctx context.Context, path string) error {
	m, err := LoadManifest(path)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("incident %s: %w", m.Incident, err)
		}
	}()
	err = r.Run(ctx, m.Files)
	return err
}

// RunParallel replays several dead-letter files at once. A panic while
// replaying one file is logged and does not stop the others.
func (r *Replayer) RunParallel(ctx context.Context, paths []string) {
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func(p string) {
			defer func() {
				if rec := recover(); rec != nil {
					r.log.Printf("replay %s: panic: %v", p, rec)
				}
			}()
			if err := r.ReplayDeadLetters(ctx, p); err != nil {
				r.log.Printf("replay %s: %v", p, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}(p)
	}
	wg.Wait()
}

// reportProgress logs the counters every interval until ctx ends.
func (r *Replayer) reportProgress(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.stats.Snapshot().Log(r.log)
		}
	}
}

// RunSafe is Run for the long replays started from the admin API: progress
// is logged every 30 seconds and a panic becomes an error.
func (r *Replayer) RunSafe(ctx context.Context, paths []string) (err error) {
	defer catchPanic(&err)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go r.reportProgress(ctx, 30*time.Second) // HAZ goroutine-outside-recover
	return r.Run(ctx, paths)
}

// RunAndReport is Run with the summary taken when the replay is over.
func (r *Replayer) RunAndReport(ctx context.Context, paths []string) (Counts, error) {
	defer func() { r.stats.Snapshot().Log(r.log) }()
	for _, p := range paths {
		if err := r.replayFile(ctx, p); err != nil {
			return r.stats.Snapshot(), fmt.Errorf("replay %s: %w", p, err)
		}
	}
	return r.stats.Snapshot(), nil
}

// replayFile replays one archive. A panic while decoding a corrupt archive
// becomes an error for that file.
func (r *Replayer) replayFile(ctx context.Context, path string) (err error) {
	defer r.metrics.Time("replay.file")()
	defer catchPanic(&err)
	return readArchive(path, func(d delivery.Delivery) error {
		err := r.replayOne(ctx, d)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			r.log.Printf("replay: %v", err)
		}
		return nil
	})
}

// ReplayDeadLetters re-sends the content of a dead-letter file.
func (r *Replayer) ReplayDeadLetters(ctx context.Context, path string) error {
	defer r.metrics.Time("replay.deadletters") // HAZ defer-func-result-not-called
	ds, err := delivery.ReadDeadLetters(path)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if err := r.replayOne(ctx, d); err != nil && ctx.Err() != nil {
			return err
		}
	}
	return nil
}

// replayOne re-sends d if it passes the filter.
func (r *Replayer) replayOne(ctx context.Context, d delivery.Delivery) (err error) {
	if !r.opts.Filter.Match(d) {
		r.stats.add(Counts{Seen: 1, Skipped: 1})
		return nil
	}
	defer r.record(d, err) // HAZ defer-eager-evaluation
	if r.opts.DryRun {
		r.stats.add(Counts{Seen: 1, Skipped: 1})
		return nil
	}
	if err = r.pace(ctx); err != nil {
		return err
	}
	res := r.send.Deliver(ctx, d)
	if !res.OK() {
		r.stats.add(Counts{Seen: 1, Failed: 1})
		return fmt.Errorf("delivery %s to %s: status %d: %v", d.ID, d.URL, res.Status, res.Err)
	}
	r.stats.add(Counts{Seen: 1, Sent: 1})
	return nil
}

// record writes the per-delivery outcome to the replay log.
func (r *Replayer) record(d delivery.Delivery, err error) {
	if err != nil {
		r.log.Printf("replayed %s (%s) -> %s: FAILED: %v", d.ID, d.Event, d.URL, err)
		return
	}
	r.log.Printf("replayed %s (%s) -> %s: ok", d.ID, d.Event, d.URL)
}

// pace waits for the configured spacing between two sends.
func (r *Replayer) pace(ctx context.Context) error {
	if r.opts.Spacing <= 0 {
		return nil
	}
	t := time.NewTimer(r.opts.Spacing)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// catchPanic converts a panic of the deferring function into its error. It
// must be deferred directly: defer catchPanic(&err).
func catchPanic(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("replay: panic: %v", r)
	}
}

// logPanic logs a panic of a background replay goroutine.
func logPanic(l *log.Logger, what string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Printf("replay: %s panicked: %v", what, r)
	}
}

// Stream decodes an archive in the background and sends its deliveries on
// the returned channel, which is closed at the end of the archive or when
// ctx ends.
func (r *Replayer) Stream(ctx context.Context, path string) <-chan delivery.Delivery {
	out := make(chan delivery.Delivery)
	go func() {
		defer close(out)
		defer func() { logPanic(r.log, "stream of "+path) }()
		err := readArchive(path, func(d delivery.Delivery) error {
			select {
			case out <- d:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		if err != nil && ctx.Err() == nil {
			r.log.Printf("replay: stream %s: %v", path, err)
		}
	}()
	return out
}
