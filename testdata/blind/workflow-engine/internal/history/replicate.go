package history

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Wire protocol between leader and follower, one exchange per segment:
//
//	leader:   "SEG <name> <size>\n" followed by <size> raw bytes
//	follower: "OK\n"

// ShipSegment streams one sealed segment to a follower. It takes ownership
// of conn and closes it when done.
func ShipSegment(conn net.Conn, dir, name string) (err error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}

	bw := bufio.NewWriterSize(conn, 64<<10)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer conn.Close()

	if _, err := fmt.Fprintf(bw, "SEG %s %d\n", name, fi.Size()); err != nil {
		return err
	}
	_, err = io.Copy(bw, f)
	return err
}

// sendSegment writes one segment on a connection the caller keeps using and
// waits for the follower's acknowledgement.
func sendSegment(conn net.Conn, dir, name string, timeout time.Duration) error {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	if _, err := fmt.Fprintf(bw, "SEG %s %d\n", name, fi.Size()); err != nil {
		return err
	}
	if _, err := io.Copy(bw, f); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	ack := make([]byte, 3)
	if _, err := io.ReadFull(conn, ack); err != nil {
		return err
	}
	if string(ack) != "OK\n" {
		return fmt.Errorf("history: follower answered %q", ack)
	}
	return nil
}

// Replicator pushes sealed segments to one follower.
type Replicator struct {
	addr    string
	dir     string
	timeout time.Duration
	pace    time.Duration
	log     *log.Logger
}

// NewReplicator returns a replicator for the follower at addr.
func NewReplicator(addr, dir string, logger *log.Logger) *Replicator {
	return &Replicator{addr: addr, dir: dir, timeout: 10 * time.Second, pace: time.Second, log: logger}
}

// Probe checks that the follower accepts connections.
func (r *Replicator) Probe(ctx context.Context) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", r.addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("history: follower %s: %w", r.addr, err)
	}
	return nil
}

// reconnect dials the follower, pacing attempts so that a flapping follower
// is not hammered.
func (r *Replicator) reconnect(ctx context.Context) (net.Conn, error) {
	defer time.Sleep(r.pace) // HAZ defer-blocking-call
	d := net.Dialer{Timeout: r.timeout}
	return d.DialContext(ctx, "tcp", r.addr)
}

// Run ships every segment in names, reconnecting after a failed transfer.
func (r *Replicator) Run(ctx context.Context, names []string) error {
	conn, err := r.reconnect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := sendSegment(conn, r.dir, name, r.timeout); err != nil {
			r.log.Printf("replicate %s: %v; reconnecting", name, err)
			conn.Close()
			if conn, err = r.reconnect(ctx); err != nil {
				return err
			}
			if err := sendSegment(conn, r.dir, name, r.timeout); err != nil {
				return err
			}
		}
	}
	return nil
}

// Follower receives segments from the leader and, in single-node mode,
// persists batches pushed in-process.
type Follower struct {
	dir      string
	log      *log.Logger
	incoming chan []Event
}

// NewFollower returns a follower writing into dir.
func NewFollower(dir string, logger *log.Logger) *Follower {
	return &Follower{dir: dir, log: logger, incoming: make(chan []Event, 64)}
}

// Serve accepts leader connections, one at a time, until ln is closed.
func (f *Follower) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			f.log.Printf("follower: accept: %v", err)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		if err := f.handle(conn); err != nil {
			f.log.Printf("follower: %s: %v", conn.RemoteAddr(), err)
		}
	}
}

// handle receives segments until the leader hangs up, then says goodbye.
func (f *Follower) handle(conn net.Conn) error {
	defer conn.Write([]byte("BYE\n")) // HAZ defer-blocking-call
	br := bufio.NewReader(conn)
	for {
		hdr, err := br.ReadString('\n')
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var name string
		var size int64
		if _, err := fmt.Sscanf(hdr, "SEG %s %d\n", &name, &size); err != nil {
			return fmt.Errorf("bad header %q: %w", hdr, err)
		}
		if err := f.receive(name, io.LimitReader(br, size)); err != nil {
			return err
		}
		if _, err := io.WriteString(conn, "OK\n"); err != nil {
			return err
		}
	}
}

// receive stores one shipped segment durably under its final name.
func (f *Follower) receive(name string, r io.Reader) error {
	if _, ok := parseSegmentName(name); !ok {
		return fmt.Errorf("follower: bad segment name %q", name)
	}
	final := filepath.Join(f.dir, name)
	tmp := final + ".recv"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	return syncDir(f.dir)
}

// Drain waits until the apply queue is empty or timeout passes, and makes
// the directory entries of applied segments durable.
func (f *Follower) Drain(timeout time.Duration) error {
	defer func() error { // HAZ defer-ineffective-return
		return syncDir(f.dir)
	}()
	deadline := time.Now().Add(timeout)
	for len(f.incoming) > 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("follower: %d batches still queued", len(f.incoming))
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

// Push queues a batch for applyLoop without blocking the appender.
func (f *Follower) Push(batch []Event) bool {
	select {
	case f.incoming <- batch:
		return true
	default:
		return false
	}
}

// Start launches the in-process apply loop.
func (f *Follower) Start() { go f.applyLoop() }

// applyLoop persists pushed batches as segments, for the life of the process.
func (f *Follower) applyLoop() {
	for batch := range f.incoming {
		if len(batch) == 0 {
			continue
		}
		tmp, err := os.CreateTemp(f.dir, "batch-*.tmp")
		if err != nil {
			f.log.Printf("follower: %v", err)
			continue
		}
		defer os.Remove(tmp.Name()) // HAZ defer-in-infinite-loop
		if err := writeBatch(tmp, batch); err != nil {
			f.log.Printf("follower: batch at %d: %v", batch[0].Seq, err)
			continue
		}
		if err := os.Rename(tmp.Name(), filepath.Join(f.dir, segmentName(batch[0].Seq))); err != nil {
			f.log.Printf("follower: %v", err)
		}
	}
}

// writeBatch encodes batch into f, syncs and closes it.
func writeBatch(f *os.File, batch []Event) error {
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, ev := range batch {
		if err := enc.Encode(ev); err != nil {
			f.Close()
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
