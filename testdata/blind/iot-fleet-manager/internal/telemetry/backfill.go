package telemetry

import (
	"context"
	"fmt"
	"log"
	"time"
)

// RingStats summarises a ring for logs.
type RingStats struct {
	Len     int
	Cap     int
	Dropped uint64
	At      time.Time
}

// Stats returns the ring's current statistics.
func (r *Ring) Stats() RingStats {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return RingStats{Len: r.n, Cap: len(r.buf), Dropped: r.dropped, At: time.Now()}
}

// Log writes the statistics to logger.
func (s RingStats) Log(logger *log.Logger) {
	logger.Printf("telemetry ring: %d/%d samples, %d dropped (at %s)", s.Len, s.Cap, s.Dropped, s.At.Format(time.RFC3339))
}

// Backfill loads old segments into the ring, for example after a restart,
// and logs the ring's state when it is done.
func (f *Flusher) Backfill(paths []string) (int, error) {
	defer f.ring.Stats().Log(f.log) // HAZ defer-call-chain
	n := 0
	for _, p := range paths {
		samples, err := ReadSegment(p)
		if err != nil {
			return n, fmt.Errorf("telemetry: backfill %s: %w", p, err)
		}
		f.ring.PushAll(samples)
		n += len(samples)
	}
	return n, nil
}

// LogStatsEvery logs the ring statistics every interval until ctx is done.
func (f *Flusher) LogStatsEvery(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			f.ring.Stats().Log(f.log)
			return
		case <-t.C:
			f.ring.Stats().Log(f.log)
		}
	}
}

// IngestAll decodes and stores a backlog of messages uploaded by a device
// that was offline, giving up when ctx is done.
func (in *Ingestor) IngestAll(ctx context.Context, backlog []Message) error {
	errc := make(chan error)
	go func() { errc <- in.ingestBacklog(backlog) }() // HAZ goroutine-blocked-send
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (in *Ingestor) ingestBacklog(backlog []Message) error {
	total := 0
	for _, msg := range backlog {
		samples, err := DecodeSamples(msg.DeviceID, msg.Payload)
		if err != nil {
			return fmt.Errorf("telemetry: backlog of %s: %w", msg.DeviceID, err)
		}
		in.ring.PushAll(samples)
		total += len(samples)
	}
	in.metrics.Add("telemetry.backlog_samples", int64(total))
	return nil
}
