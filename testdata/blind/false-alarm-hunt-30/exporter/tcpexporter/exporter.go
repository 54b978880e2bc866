// Package tcpexporter forwards span batches as JSON lines to another
// collector's TCP receiver over one long-lived connection, and optionally
// reads delivery acknowledgements from a separate ack endpoint.
package tcpexporter

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah30/component"
	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

var eosFrame = []byte("{\"eos\":true}\n")

// Config configures the exporter.
type Config struct {
	Endpoint     string
	AckEndpoint  string
	DialTimeout  time.Duration
	WriteTimeout time.Duration
}

// Exporter is the TCP exporter.
type Exporter struct {
	cfg    Config
	obs    *obsreport.Recorder
	logger *log.Logger
	dialer net.Dialer

	mu   sync.Mutex
	conn net.Conn
	bw   *bufio.Writer

	acked atomic.Int64
}

// New returns an exporter; it connects lazily.
func New(cfg Config, obs *obsreport.Recorder, logger *log.Logger) *Exporter {
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = 5 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	return &Exporter{cfg: cfg, obs: obs, logger: logger, dialer: net.Dialer{Timeout: cfg.DialTimeout}}
}

// Start launches the ack reader when an ack endpoint is configured.
func (e *Exporter) Start(context.Context, component.Host) error {
	if e.cfg.AckEndpoint != "" {
		go e.readAcks()
	}
	return nil
}

// Acked is the number of batches the peer acknowledged.
func (e *Exporter) Acked() int64 { return e.acked.Load() }

// connLocked returns the shared connection, dialling if needed; e.mu must be
// held.
func (e *Exporter) connLocked(ctx context.Context) (*bufio.Writer, error) {
	if e.conn != nil {
		return e.bw, nil
	}
	conn, err := e.dialer.DialContext(ctx, "tcp", e.cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	e.conn, e.bw = conn, bufio.NewWriterSize(conn, 32<<10)
	return e.bw, nil
}

// dropConnLocked closes the shared connection after a failure; e.mu must be
// held.
func (e *Exporter) dropConnLocked() {
	if e.conn != nil {
		e.conn.Close()
	}
	e.conn, e.bw = nil, nil
}

// ConsumeTraces writes b as one line on the shared connection.
func (e *Exporter) ConsumeTraces(ctx context.Context, b pdata.Batch) error {
	line, err := e.encode(b)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	bw, err := e.connLocked(ctx)
	if err != nil {
		return err
	}
	if err := e.conn.SetWriteDeadline(time.Now().Add(e.cfg.WriteTimeout)); err != nil {
		e.dropConnLocked()
		return err
	}
	if _, err := bw.Write(line); err != nil {
		e.dropConnLocked()
		return err
	}
	if err := bw.Flush(); err != nil {
		e.dropConnLocked()
		return err
	}
	e.obs.EndExport(b.Len(), nil)
	return nil
}

// encode marshals b into one newline-terminated frame.
func (e *Exporter) encode(b pdata.Batch) (line []byte, err error) {
	defer func() {
		report := func() error {
			if v := recover(); v != nil { // HAZ recover-ineffective
				return fmt.Errorf("tcpexporter: encode panic: %v", v)
			}
			return nil
		}
		err = errors.Join(err, report())
	}()
	raw, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	return append(raw, '\n'), nil
}

// SendBatches opens a dedicated connection for a bulk transfer, writes all
// batches through a buffer, flushes it and closes the connection.
func (e *Exporter) SendBatches(ctx context.Context, batches []pdata.Batch) error {
	conn, err := e.dialer.DialContext(ctx, "tcp", e.cfg.Endpoint)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetWriteDeadline(time.Now().Add(e.cfg.WriteTimeout)); err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	for _, b := range batches {
		line, err := e.encode(b)
		if err != nil {
			return err
		}
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// SendBackfill is SendBatches for the backfill tool, which hands over a
// channel of batches.
func (e *Exporter) SendBackfill(ctx context.Context, in <-chan pdata.Batch) (n int, err error) {
	conn, err := e.dialer.DialContext(ctx, "tcp", e.cfg.Endpoint)
	if err != nil {
		return 0, err
	}
	if err := conn.SetWriteDeadline(time.Now().Add(e.cfg.WriteTimeout)); err != nil {
		return 0, errors.Join(err, conn.Close())
	}
	bw := bufio.NewWriter(conn)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer conn.Close()
	for b := range in {
		line, err := e.encode(b)
		if err != nil {
			return n, err
		}
		if _, err := bw.Write(line); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Stream copies an already-encoded stream to the peer on its own
// connection and marks the end of the stream.
func (e *Exporter) Stream(ctx context.Context, r io.Reader) (int64, error) {
	conn, err := e.dialer.DialContext(ctx, "tcp", e.cfg.Endpoint)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	defer conn.Write(eosFrame) // HAZ defer-blocking-call
	return io.Copy(conn, r)
}

// readAcks runs for the life of the process, reconnecting to the ack
// endpoint whenever the connection drops.
func (e *Exporter) readAcks() {
	for {
		conn, err := net.DialTimeout("tcp", e.cfg.AckEndpoint, e.cfg.DialTimeout)
		if err != nil {
			e.logger.Printf("tcpexporter: ack endpoint: %v", err)
			time.Sleep(time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop defer-in-loop
		e.consumeAcks(conn)
	}
}

// consumeAcks counts ack lines until the connection fails.
func (e *Exporter) consumeAcks(conn net.Conn) {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		if bytes.HasPrefix(sc.Bytes(), []byte("ack")) {
			e.acked.Add(1)
		}
	}
	if err := sc.Err(); err != nil {
		e.logger.Printf("tcpexporter: ack stream: %v", err)
	}
}

// Shutdown flushes and closes the shared connection.
func (e *Exporter) Shutdown(context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.conn == nil {
		return nil
	}
	defer func() error { // HAZ defer-ineffective-return
		err := e.conn.Close()
		e.conn, e.bw = nil, nil
		return err
	}()
	return e.bw.Flush()
}
