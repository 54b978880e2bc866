package replicate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"

	"example.com/leaselock/internal/wal"
)

// CheckPeers dials every peer in turn and returns the ones that do not
// answer PING.
func (r *Replicator) CheckPeers() []string {
	var down []string
	for _, p := range r.peers {
		conn, err := net.DialTimeout("tcp", p, r.dialTimeout)
		if err != nil {
			down = append(down, p)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		conn.SetDeadline(time.Now().Add(r.dialTimeout))
		if _, err := io.WriteString(conn, "PING\n"); err != nil {
			down = append(down, p)
			continue
		}
		if line, err := bufio.NewReader(conn).ReadString('\n'); err != nil || strings.TrimSpace(line) != "PONG" {
			down = append(down, p)
		}
	}
	return down
}

// parseApply parses "APPLY <index> <type> <lease> <ttl-ms> [key]".
func parseApply(line string) (wal.Record, error) {
	var rec wal.Record
	var typ uint8
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "APPLY" {
		return rec, fmt.Errorf("replicate: bad line %q", line)
	}
	if _, err := fmt.Sscan(strings.Join(f[1:5], " "), &rec.Index, &typ, &rec.Lease, &rec.TTLMillis); err != nil {
		return rec, fmt.Errorf("replicate: bad line %q: %w", line, err)
	}
	rec.Type = wal.RecordType(typ)
	if len(f) > 5 {
		rec.Key = f[5]
	}
	return rec, nil
}

// Follow keeps a replication stream from leader open for the life of the
// process, applying every record it receives and reconnecting after
// failures.
func (r *Replicator) Follow(leader string, from uint64, apply func(wal.Record) error) {
	for {
		conn, err := net.DialTimeout("tcp", leader, r.dialTimeout)
		if err != nil {
			log.Printf("replicate: follow %s: %v", leader, err)
			time.Sleep(time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if _, err := fmt.Fprintf(conn, "TAIL %d\n", from); err != nil {
			continue
		}
		sc := bufio.NewScanner(conn)
		for sc.Scan() {
			rec, err := parseApply(sc.Text())
			if err != nil {
				log.Printf("replicate: %v", err)
				break
			}
			if err := apply(rec); err != nil {
				log.Printf("replicate: apply %d: %v", rec.Index, err)
				break
			}
			from = rec.Index + 1
		}
		time.Sleep(time.Second)
	}
}

// sendBatch ships recs to peer over one buffered connection.
func (r *Replicator) sendBatch(ctx context.Context, peer string, recs []wal.Record) (err error) {
	d := net.Dialer{Timeout: r.dialTimeout}
	conn, err := d.DialContext(ctx, "tcp", peer)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer conn.Close()
	for _, rec := range recs {
		if _, err := fmt.Fprintf(bw, "APPLY %d %d %d %d %s\n", rec.Index, rec.Type, rec.Lease, rec.TTLMillis, rec.Key); err != nil {
			return err
		}
	}
	return nil
}

// SyncTail pushes every local record the peer has not applied yet.
func (r *Replicator) SyncTail(ctx context.Context, peer string, l *wal.Log) error {
	started := time.Now()
	defer log.Printf("replicate: tail sync to %s ran from %s to %s", peer, started.Format(time.StampMilli), time.Now().Format(time.StampMilli)) // HAZ defer-eager-evaluation
	idx, err := r.appliedIndex(peer)
	if err != nil {
		return err
	}
	var recs []wal.Record
	err = wal.ReplayFrom(l.Dir(), idx+1, func(rec wal.Record) error {
		recs = append(recs, rec)
		return nil
	})
	if err != nil || len(recs) == 0 {
		return err
	}
	return r.sendBatch(ctx, peer, recs)
}

// heartbeatUntil pings the peers every period until ctx ends.
func (r *Replicator) heartbeatUntil(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for i, err := range r.Heartbeat(ctx) {
				if err != nil {
					log.Printf("replicate: peer %s: %v", r.peers[i], err)
				}
			}
		}
	}
}

// Stream broadcasts every record received on recs until recs is closed or
// ctx ends. A panic while shipping a record is turned into an error.
func (r *Replicator) Stream(ctx context.Context, recs <-chan wal.Record) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("replicate: stream panic: %v", p)
		}
	}()
	hctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go r.heartbeatUntil(hctx, 5*time.Second) // HAZ goroutine-outside-recover
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case rec, ok := <-recs:
			if !ok {
				return nil
			}
			if n, err := r.Broadcast(ctx, rec); err != nil {
				log.Printf("replicate: record %d reached %d peers: %v", rec.Index, n, err)
			}
		}
	}
}

// CatchUp returns the local records that peer has not applied yet. The
// peer is asked for its index while the local log is read.
func (r *Replicator) CatchUp(peer string, l *wal.Log) ([]wal.Record, error) {
	type reply struct {
		idx uint64
		err error
	}
	remote := make(chan reply)
	go func() {
		idx, err := r.appliedIndex(peer)
		remote <- reply{idx: idx, err: err} // HAZ goroutine-blocked-send
	}()
	var local []wal.Record
	err := wal.ReplayFrom(l.Dir(), 0, func(rec wal.Record) error {
		local = append(local, rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep := <-remote
	if rep.err != nil {
		return nil, rep.err
	}
	missing := local[:0]
	for _, rec := range local {
		if rec.Index > rep.idx {
			missing = append(missing, rec)
		}
	}
	return missing, nil
}
