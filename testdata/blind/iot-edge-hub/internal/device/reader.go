package device

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"strconv"
	"strings"
	"time"
)

// ParseLine parses one line of the sensor protocol, "metric=value".
func ParseLine(line string) (string, float64, error) {
	line = strings.TrimSpace(line)
	metric, raw, ok := strings.Cut(line, "=")
	metric = strings.TrimSpace(metric)
	if !ok || metric == "" {
		return "", 0, fmt.Errorf("device: malformed line %q", line)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil {
		return "", 0, fmt.Errorf("device: metric %s: %w", metric, err)
	}
	return metric, v, nil
}

// Hook observes every sample a reader produces (user-supplied plugins).
type Hook func(Sample)

// Reader turns a device's byte stream into samples.
type Reader struct {
	dev   *Device
	out   chan<- Sample
	retry time.Duration
	hooks []Hook
	now   func() time.Time
}

// NewReader returns a reader for dev that sends samples to out.
func NewReader(dev *Device, out chan<- Sample, hooks ...Hook) *Reader {
	return &Reader{dev: dev, out: out, retry: time.Second, hooks: hooks, now: time.Now}
}

// ReadStream reads samples from src until it ends or ctx is cancelled.
func (r *Reader) ReadStream(ctx context.Context, src io.Reader) error {
	sc := bufio.NewScanner(src)
	for sc.Scan() {
		metric, v, err := ParseLine(sc.Text())
		if err != nil {
			r.dev.noteError()
			continue
		}
		s := Sample{Device: r.dev.ID, Metric: metric, Value: v, At: r.now()}
		select {
		case r.out <- s:
		case <-ctx.Done():
			return ctx.Err()
		}
		r.dev.Touch(s.At)
		r.fireHooks(s)
	}
	return sc.Err()
}

// Run reads the device until ctx is cancelled, reopening its stream after
// each end or error.
func (r *Reader) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		err := func() error {
			rc, err := r.dev.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			return r.ReadStream(ctx, rc)
		}()
		if err != nil && ctx.Err() == nil {
			r.dev.noteError()
			log.Printf("device %s: %v; retrying in %v", r.dev.ID, err, r.retry)
		}
		select {
		case <-time.After(r.retry):
		case <-ctx.Done():
		}
	}
	return ctx.Err()
}

// Pump is the reader loop of the legacy serial bridge: it reopens the device
// for the life of the process and hands every sample to out. It never returns.
func (r *Reader) Pump(out func(Sample)) {
	for {
		rc, err := r.dev.Open()
		if err != nil {
			r.dev.noteError()
			time.Sleep(r.retry)
			continue
		}
		defer rc.Close() // HAZ defer-in-infinite-loop
		sc := bufio.NewScanner(rc)
		for sc.Scan() {
			if metric, v, err := ParseLine(sc.Text()); err == nil {
				out(Sample{Device: r.dev.ID, Metric: metric, Value: v, At: r.now()})
			}
		}
	}
}

// fireHooks hands s to every plugin hook; a broken plugin must not stop the
// reader.
func (r *Reader) fireHooks(s Sample) {
	for _, h := range r.hooks {
		func() {
			defer func() { recover() }() // HAZ recover-swallows-panic
			h(s)
		}()
	}
}
