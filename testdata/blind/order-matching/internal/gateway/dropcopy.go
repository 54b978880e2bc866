package gateway

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"example.com/matching/internal/book"
)

// DropCopy forwards every trade to the compliance drop-copy server.
type DropCopy struct {
	addr    string
	timeout time.Duration
	logger  *log.Logger

	mu   sync.Mutex
	conn net.Conn
	bw   *bufio.Writer
	sent int64
}

// DialDropCopy connects to the drop-copy server at addr.
func DialDropCopy(addr string, timeout time.Duration, logger *log.Logger) (*DropCopy, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, fmt.Errorf("dropcopy: dial %s: %w", addr, err)
	}
	return &DropCopy{addr: addr, timeout: timeout, logger: logger, conn: c, bw: bufio.NewWriter(c)}, nil
}

// Send forwards one trade and flushes it.
func (d *DropCopy) Send(t book.Trade) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.conn.SetWriteDeadline(time.Now().Add(d.timeout)); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(d.bw, "T|%s|%d|%d|%d|%s|%s\n", t.Symbol, t.Seq, t.Price, t.Qty, t.BuyAcct, t.SellAcct); err != nil {
		return err
	}
	if err := d.bw.Flush(); err != nil {
		return err
	}
	d.sent++
	return nil
}

// reconnect replaces a broken connection.
func (d *DropCopy) reconnect() error {
	c, err := net.DialTimeout("tcp", d.addr, d.timeout)
	if err != nil {
		return err
	}
	d.mu.Lock()
	old := d.conn
	d.conn, d.bw = c, bufio.NewWriter(c)
	d.mu.Unlock()
	return old.Close()
}

// Run forwards trades until ctx is done or trades is closed, reconnecting
// once per failed send.
func (d *DropCopy) Run(ctx context.Context, trades <-chan book.Trade) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case t, ok := <-trades:
			if !ok {
				return nil
			}
			if err := d.Send(t); err == nil {
				continue
			}
			if err := d.reconnect(); err != nil {
				d.logger.Printf("dropcopy: reconnect %s: %v", d.addr, err)
				continue
			}
			if err := d.Send(t); err != nil {
				d.logger.Printf("dropcopy: trade %s/%d lost: %v", t.Symbol, t.Seq, err)
			}
		}
	}
}

// Close flushes pending output and closes the connection.
func (d *DropCopy) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	ferr := d.bw.Flush()
	cerr := d.conn.Close()
	if ferr != nil {
		return ferr
	}
	return cerr
}

// Probe measures the round trip of a heartbeat to a drop-copy server.
func Probe(addr string, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	c, err := net.DialTimeout("tcp", addr, timeout)
	defer c.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("dropcopy: probe %s: %w", addr, err)
	}
	if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
		return 0, err
	}
	if _, err := io.WriteString(c, "H|probe\n"); err != nil {
		return 0, err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return 0, err
	}
	if !strings.HasPrefix(line, "H|") {
		return 0, fmt.Errorf("dropcopy: probe %s: unexpected reply %q", addr, line)
	}
	return time.Since(start), nil
}

// ProbeAll probes every address concurrently and gives up after timeout.
// The result channel has room for every prober, so those that finish after
// the deadline still complete their send and exit.
func ProbeAll(addrs []string, timeout time.Duration) map[string]error {
	type result struct {
		addr string
		err  error
	}
	results := make(chan result, len(addrs))
	for _, addr := range addrs {
		go func() {
			_, err := probeChecked(addr, timeout)
			results <- result{addr: addr, err: err}
		}()
	}
	out := make(map[string]error, len(addrs))
	deadline := time.After(2 * timeout)
	for range addrs {
		select {
		case r := <-results:
			out[r.addr] = r.err
		case <-deadline:
			return out
		}
	}
	return out
}

// probeChecked is Probe with the error checked before the deferred Close.
func probeChecked(addr string, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
		return 0, err
	}
	if _, err := io.WriteString(c, "H|probe\n"); err != nil {
		return 0, err
	}
	if _, err := bufio.NewReader(c).ReadString('\n'); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// redial replaces the connection, pacing attempts by backoff so that a
// flapping server is not hammered.
func (d *DropCopy) redial(backoff time.Duration) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	defer time.Sleep(backoff) // HAZ defer-blocking-call
	c, err := net.DialTimeout("tcp", d.addr, d.timeout)
	if err != nil {
		return err
	}
	_ = d.conn.Close()
	d.conn, d.bw = c, bufio.NewWriter(c)
	return nil
}

// reportPanic logs a recovered value; nil means there was no panic.
func (d *DropCopy) reportPanic(v any) {
	if v != nil {
		d.logger.Printf("dropcopy: panic while sending: %v", v)
	}
}

// SafeSend is Send for use as a book trade hook, which must never panic
// into the matching loop.
func (d *DropCopy) SafeSend(t book.Trade) {
	defer d.reportPanic(recover()) // HAZ recover-ineffective
	if err := d.Send(t); err != nil {
		d.logger.Printf("dropcopy: trade %s/%d: %v", t.Symbol, t.Seq, err)
	}
}

// recoverSend is deferred directly by GuardedSend, so its recover works.
func (d *DropCopy) recoverSend(t book.Trade) {
	if r := recover(); r != nil {
		d.logger.Printf("dropcopy: panic sending trade %s/%d: %v", t.Symbol, t.Seq, r)
	}
}

// GuardedSend is the working version of SafeSend.
func (d *DropCopy) GuardedSend(t book.Trade) {
	defer d.recoverSend(t)
	if err := d.Send(t); err != nil {
		d.logger.Printf("dropcopy: trade %s/%d: %v", t.Symbol, t.Seq, err)
	}
}

func writeTrades(c net.Conn, trades []book.Trade, timeout time.Duration) error {
	if err := c.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	bw := bufio.NewWriter(c)
	for _, t := range trades {
		if _, err := fmt.Fprintf(bw, "T|%s|%d|%d|%d|%s|%s\n", t.Symbol, t.Seq, t.Price, t.Qty, t.BuyAcct, t.SellAcct); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReplayTo resends trades after an outage to the primary drop-copy server,
// switching to the backup if the primary fails mid-way.
func ReplayTo(primary, backup string, trades []book.Trade, timeout time.Duration) error {
	c, err := net.DialTimeout("tcp", primary, timeout)
	if err != nil {
		return err
	}
	defer c.Close() // HAZ defer-eager-evaluation
	if err = writeTrades(c, trades, timeout); err == nil {
		return nil
	}
	c, err = net.DialTimeout("tcp", backup, timeout)
	if err != nil {
		return fmt.Errorf("dropcopy: primary and backup failed: %w", err)
	}
	return writeTrades(c, trades, timeout)
}

// SetAddr points the drop-copy at a new server; the next reconnect uses it.
func (d *DropCopy) SetAddr(addr string) error {
	d.mu.Lock() // HAZ lock-leaked-on-return
	if addr == d.addr {
		return nil
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		d.mu.Unlock()
		return fmt.Errorf("dropcopy: bad address %q: %w", addr, err)
	}
	d.addr = addr
	d.mu.Unlock()
	return nil
}
