// Package replicate ships log records and snapshots from the leader to its
// followers over the same line protocol that clients use.
package replicate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/leaselock/internal/wal"
)

// Replicator talks to a fixed set of peers.
type Replicator struct {
	peers       []string
	dialTimeout time.Duration
}

// New returns a replicator for peers (host:port).
func New(peers []string, dialTimeout time.Duration) *Replicator {
	if dialTimeout <= 0 {
		dialTimeout = 2 * time.Second
	}
	return &Replicator{peers: append([]string(nil), peers...), dialTimeout: dialTimeout}
}

// Peers returns the configured peer addresses.
func (r *Replicator) Peers() []string { return append([]string(nil), r.peers...) }

// exchange sends one request line to peer and returns the response line.
func (r *Replicator) exchange(ctx context.Context, peer, line string) (string, error) {
	d := net.Dialer{Timeout: r.dialTimeout}
	conn, err := d.DialContext(ctx, "tcp", peer)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if _, err := io.WriteString(conn, line+"\n"); err != nil {
		return "", err
	}
	resp, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	resp = strings.TrimSpace(resp)
	if msg, ok := strings.CutPrefix(resp, "ERR "); ok {
		return "", fmt.Errorf("%s: %s", peer, msg)
	}
	return resp, nil
}

// send ships one record to peer.
func (r *Replicator) send(ctx context.Context, peer string, rec wal.Record) error {
	line := fmt.Sprintf("APPLY %d %d %d %d %s", rec.Index, rec.Type, rec.Lease, rec.TTLMillis, rec.Key)
	_, err := r.exchange(ctx, peer, line)
	return err
}

// Broadcast ships rec to the peers in parallel. It stops starting new sends
// once ctx is done and returns how many peers were contacted.
func (r *Replicator) Broadcast(ctx context.Context, rec wal.Record) (int, error) {
	errs := make([]error, len(r.peers))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(r.peers) && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = r.send(ctx, r.peers[i], rec)
		}()
	}
	wg.Wait()
	return i, errors.Join(errs...)
}

// Heartbeat pings every peer and returns one error slot per peer.
func (r *Replicator) Heartbeat(ctx context.Context) []error {
	errs := make([]error, len(r.peers))
	var wg sync.WaitGroup
	for i := 0; i < len(r.peers); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.ping(ctx, r.peers[i])
		}()
	}
	wg.Wait()
	return errs
}

func (r *Replicator) ping(ctx context.Context, peer string) error {
	resp, err := r.exchange(ctx, peer, "PING")
	if err != nil {
		return err
	}
	if resp != "PONG" {
		return fmt.Errorf("%s: unexpected reply %q", peer, resp)
	}
	return nil
}

// FastestPeer returns the first peer to answer a ping.
func (r *Replicator) FastestPeer(ctx context.Context) (string, error) {
	if len(r.peers) == 0 {
		return "", errors.New("replicate: no peers")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	res := make(chan string, len(r.peers))
	for _, p := range r.peers {
		go func() {
			if r.ping(ctx, p) == nil {
				res <- p
			}
		}()
	}
	select {
	case p := <-res:
		return p, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// stream sends a snapshot of size bytes from src to peer.
func (r *Replicator) stream(peer string, src io.Reader, size int64) error {
	conn, err := net.DialTimeout("tcp", peer, r.dialTimeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "SNAPSHOT %d\n", size); err != nil {
		return err
	}
	if _, err := io.CopyN(conn, src, size); err != nil {
		return err
	}
	ack, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(ack) != "OK" {
		return fmt.Errorf("%s: snapshot rejected: %s", peer, strings.TrimSpace(ack))
	}
	return nil
}

// ShipSnapshot streams the snapshot file at path to every peer.
func (r *Replicator) ShipSnapshot(path string) error {
	var wg sync.WaitGroup
	errCh := make(chan error, len(r.peers))
	for _, p := range r.peers {
		wg.Add(1)
		go func() {
			f, err := os.Open(path)
			if err != nil {
				errCh <- err
				return
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				errCh <- err
				return
			}
			if err := r.stream(p, f, st.Size()); err != nil {
				errCh <- fmt.Errorf("%s: %w", p, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errCh)
	var errs []error
	for err := range errCh {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Probe asks every peer for its last applied index and returns the
// answers that arrived before ctx ended.
func (r *Replicator) Probe(ctx context.Context) map[string]uint64 {
	type answer struct {
		peer  string
		index uint64
		err   error
	}
	answers := make(chan answer, len(r.peers))
	defer close(answers) // HAZ defer-close-chan-with-sender
	for _, p := range r.peers {
		go func() {
			idx, err := r.appliedIndex(p)
			answers <- answer{peer: p, index: idx, err: err}
		}()
	}
	out := make(map[string]uint64, len(r.peers))
	for range r.peers {
		select {
		case a := <-answers:
			if a.err == nil {
				out[a.peer] = a.index
			}
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// appliedIndex asks peer for the index of the last record it applied.
func (r *Replicator) appliedIndex(peer string) (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*r.dialTimeout)
	defer cancel()
	resp, err := r.exchange(ctx, peer, "INDEX")
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(strings.TrimPrefix(resp, "OK "), 10, 64)
}

// Collect gathers the applied index of every peer, waiting for all of them.
func (r *Replicator) Collect() map[string]uint64 {
	type answer struct {
		peer  string
		index uint64
	}
	answers := make(chan answer)
	var wg sync.WaitGroup
	for _, p := range r.peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if idx, err := r.appliedIndex(p); err == nil {
				answers <- answer{peer: p, index: idx}
			}
		}()
	}
	go func() {
		defer close(answers)
		wg.Wait()
	}()
	out := make(map[string]uint64, len(r.peers))
	for a := range answers {
		out[a.peer] = a.index
	}
	return out
}
