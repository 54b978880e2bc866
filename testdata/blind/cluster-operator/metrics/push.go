package metrics

import (
	"bufio"
	"context"
	"log"
	"net"
	"time"
)

// PushLoop pushes the text exposition to a collector at addr every period.
// main starts it once; it runs for the life of the process.
func (r *Registry) PushLoop(addr string, every time.Duration, logger *log.Logger) {
	for {
		time.Sleep(every)
		conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			logger.Printf("metrics: push to %s: %v", addr, err)
			r.Inc("metrics_push_errors_total")
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		_ = conn.SetWriteDeadline(time.Now().Add(every))
		if err := r.WriteText(conn); err != nil {
			logger.Printf("metrics: push to %s: %v", addr, err)
			r.Inc("metrics_push_errors_total")
		}
	}
}

// PushOnce sends a single exposition to addr, bounded by ctx.
func (r *Registry) PushOnce(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			return err
		}
	}
	bw := bufio.NewWriter(conn)
	if err := r.WriteText(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// PushBuffered sends one exposition to addr through a write buffer.
func (r *Registry) PushBuffered(addr string, logger *log.Logger) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	if err := conn.SetWriteDeadline(time.Now().Add(5 * time.Second)); err != nil {
		conn.Close()
		return err
	}
	bw := bufio.NewWriter(conn)
	defer func() { // HAZ defer-order-inverted
		if err := bw.Flush(); err != nil {
			logger.Printf("metrics: push to %s: %v", addr, err)
		}
	}()
	defer conn.Close()
	return r.WriteText(bw)
}
