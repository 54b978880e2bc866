// Package shipper forwards log lines to a TCP collector in batches.
package shipper

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// Forwarder batches lines and writes them to a collector.
type Forwarder struct {
	addr         string
	dialTimeout  time.Duration
	writeTimeout time.Duration
	maxBatch     int
	lines        chan string
	lg           *log.Logger
	dropped      atomic.Int64
	// redact, if set, rewrites every line before it is shipped.
	redact func(string) string
}

// NewForwarder returns a forwarder for the collector at addr.
func NewForwarder(addr string, maxBatch int, lg *log.Logger) *Forwarder {
	return &Forwarder{
		addr:         addr,
		dialTimeout:  3 * time.Second,
		writeTimeout: 5 * time.Second,
		maxBatch:     maxBatch,
		lines:        make(chan string, 4*maxBatch),
		lg:           lg,
	}
}

func (f *Forwarder) dial(ctx context.Context) (net.Conn, error) {
	d := net.Dialer{Timeout: f.dialTimeout, KeepAlive: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", f.addr)
	if err != nil {
		return nil, fmt.Errorf("shipper: dial %s: %w", f.addr, err)
	}
	return conn, nil
}

// Send writes lines to the collector on a fresh connection.
func (f *Forwarder) Send(ctx context.Context, lines []string) error {
	conn, err := f.dial(ctx)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(conn)
	defer w.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	if err := conn.SetWriteDeadline(time.Now().Add(f.writeTimeout)); err != nil {
		return err
	}
	for _, l := range lines {
		if _, err := w.WriteString(l); err != nil {
			return err
		}
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}

// sendBuffered writes lines on a fresh connection, which is closed after
// the buffered data has been flushed.
func (f *Forwarder) sendBuffered(ctx context.Context, lines []string) error {
	conn, err := f.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(f.writeTimeout)
	}
	return f.writeLines(conn, deadline, lines)
}

// writeLines writes lines through a buffer and reports the flush error.
func (f *Forwarder) writeLines(conn net.Conn, deadline time.Time, lines []string) error {
	if err := conn.SetWriteDeadline(deadline); err != nil {
		return err
	}
	w := bufio.NewWriter(conn)
	for _, l := range lines {
		if _, err := w.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return w.Flush()
}

// SendWithRetry writes lines, redialling up to attempts times when a
// write fails.
func (f *Forwarder) SendWithRetry(ctx context.Context, lines []string, attempts int) error {
	conn, err := f.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	for i := 1; ; i++ {
		err = f.writeLines(conn, time.Now().Add(f.writeTimeout), lines)
		if err == nil || i == attempts {
			return err
		}
		f.lg.Printf("shipper: attempt %d: %v; redialling", i, err)
		conn.Close()
		if conn, err = f.dial(ctx); err != nil {
			return err
		}
	}
}

// SetRedactor installs fn to rewrite lines (e.g. mask tokens) as they are
// queued. It must be called before any line is queued.
func (f *Forwarder) SetRedactor(fn func(string) string) {
	f.redact = fn
}

// Pump copies lines from r into the queue until r ends or ctx is done. It
// is meant to run in its own goroutine; a panic is logged instead of
// crashing the shipper.
func (f *Forwarder) Pump(ctx context.Context, r io.Reader) error {
	defer f.logPanic(recover()) // HAZ recover-ineffective
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		f.Enqueue(sc.Text())
	}
	return sc.Err()
}

// PumpLines is Pump for lines already in memory; it returns how many were
// queued before the buffer filled up or a panic was recovered.
func (f *Forwarder) PumpLines(lines []string) (n int) {
	defer func() { f.logPanic(recover()) }()
	for _, l := range lines {
		if !f.Enqueue(l) {
			break
		}
		n++
	}
	return n
}

// logPanic logs a recovered panic value; nil means there was none.
func (f *Forwarder) logPanic(p any) {
	if p == nil {
		return
	}
	f.dropped.Add(1)
	f.lg.Printf("shipper: recovered from panic: %v\n%s", p, debug.Stack())
}

// Enqueue offers a line without blocking; it reports false when the
// buffer is full and the line was dropped.
func (f *Forwarder) Enqueue(line string) bool {
	if f.redact != nil {
		line = f.redact(line)
	}
	select {
	case f.lines <- line:
		return true
	default:
		f.dropped.Add(1)
		return false
	}
}

// Run ships queued lines every second or whenever a batch is full, until
// ctx is done; the last batch is sent with a fresh deadline.
func (f *Forwarder) Run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	batch := make([]string, 0, f.maxBatch)
	for {
		select {
		case <-ctx.Done():
			f.flush(context.WithoutCancel(ctx), batch)
			return
		case l := <-f.lines:
			batch = append(batch, l)
			if len(batch) >= f.maxBatch {
				batch = f.flush(ctx, batch)
			}
		case <-t.C:
			batch = f.flush(ctx, batch)
		}
	}
}

func (f *Forwarder) flush(ctx context.Context, batch []string) []string {
	if len(batch) == 0 {
		return batch
	}
	ctx, cancel := context.WithTimeout(ctx, f.writeTimeout)
	defer cancel()
	if err := f.sendBuffered(ctx, batch); err != nil {
		f.dropped.Add(int64(len(batch)))
		f.lg.Printf("shipper: dropped %d lines: %v", len(batch), err)
	}
	return batch[:0]
}
