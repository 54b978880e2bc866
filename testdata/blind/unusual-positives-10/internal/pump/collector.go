package pump

import (
	"bufio"
	"fmt"
	"net"
	"sync/atomic"
	"time"
)

// Record is one metric sample.
type Record struct {
	Name  string
	Value float64
	Final bool
}

// Empty reports whether the record carries nothing to forward.
func (r Record) Empty() bool { return r.Name == "" }

// Batch is a group of records from one source.
type Batch struct {
	Source  string
	Records []Record
}

// Subscription delivers batches for as long as the process runs; C is never
// closed.
type Subscription struct {
	C <-chan Batch
}

// Collector forwards record batches to an upstream aggregator over TCP.
type Collector struct {
	upstream    string
	dialTimeout time.Duration
	sent        atomic.Int64
	failed      atomic.Int64
}

// NewCollector returns a collector for upstream.
func NewCollector(upstream string, dialTimeout time.Duration) *Collector {
	return &Collector{upstream: upstream, dialTimeout: dialTimeout}
}

// Start forwards the subscription's batches in the background.
func (c *Collector) Start(sub Subscription) {
	go c.consume(sub.C)
}

func (c *Collector) consume(batches <-chan Batch) {
	for b := range batches {
		n := 0
	records:
		for _, rec := range b.Records {
			switch {
			case rec.Final:
				break records
			case rec.Empty():
				continue records
			}
			n++
		}
		if n == 0 {
			continue
		}
		conn, err := net.DialTimeout("tcp", c.upstream, c.dialTimeout)
		if err != nil {
			c.failed.Add(1)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if err := writeBatch(conn, b.Source, b.Records[:n]); err != nil {
			c.failed.Add(1)
			continue
		}
		c.sent.Add(1)
	}
}

// SendAll forwards batches one connection at a time and stops at the first
// failure.
func (c *Collector) SendAll(bs []Batch) error {
	for _, b := range bs {
		if err := c.sendOne(b); err != nil {
			return fmt.Errorf("batch from %s: %w", b.Source, err)
		}
	}
	return nil
}

func (c *Collector) sendOne(b Batch) error {
	conn, err := net.DialTimeout("tcp", c.upstream, c.dialTimeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := writeBatch(conn, b.Source, b.Records); err != nil {
		return err
	}
	c.sent.Add(1)
	return nil
}

func writeBatch(conn net.Conn, source string, recs []Record) error {
	if err := conn.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	for _, r := range recs {
		if _, err := fmt.Fprintf(bw, "%s %s %g\n", source, r.Name, r.Value); err != nil {
			return err
		}
	}
	return bw.Flush()
}
