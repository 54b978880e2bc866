package peer

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"strconv"
	"sync"
	"time"

	"example.com/fah13/internal/wal"
)

// Peer is one replication target.
type Peer struct {
	Name     string
	ReplAddr string
	Client   *Client
}

// Replicator pushes new WAL records to followers.
type Replicator struct {
	peers   []Peer
	timeout time.Duration
	push    func(ctx context.Context, p Peer, recs []wal.Record) error
	logger  *log.Logger
}

// NewReplicator returns a replicator for peers.
func NewReplicator(peers []Peer, timeout time.Duration, logger *log.Logger) *Replicator {
	r := &Replicator{peers: peers, timeout: timeout, logger: logger}
	r.push = func(ctx context.Context, p Peer, recs []wal.Record) error {
		return p.Client.StreamSegment(ctx, p.ReplAddr, recs)
	}
	return r
}

// pushAll streams recs to every peer and returns the failures by peer name.
func (r *Replicator) pushAll(ctx context.Context, recs []wal.Record) map[string]error {
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		failed = make(map[string]error)
	)
	for _, p := range r.peers {
		wg.Add(1)
		go func() {
			pctx, cancel := context.WithTimeout(ctx, r.timeout)
			defer cancel()
			if err := r.push(pctx, p, recs); err != nil {
				mu.Lock()
				failed[p.Name] = err
				mu.Unlock()
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return failed
}

// appliedRev asks c for the last revision its node applied.
func appliedRev(ctx context.Context, c *Client) (int64, error) {
	v, err := c.Get(ctx, "__applied_rev")
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(string(v), 10, 64)
}

// AppliedRevs asks every peer for the last revision it applied.
func (r *Replicator) AppliedRevs(ctx context.Context) (map[string]int64, error) {
	type res struct {
		peer string
		rev  int64
		err  error
	}
	results := make(chan res, len(r.peers))
	var wg sync.WaitGroup
	for _, p := range r.peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rev, err := appliedRev(ctx, p.Client)
			results <- res{peer: p.Name, rev: rev, err: err}
		}()
	}
	wg.Wait()
	close(results)

	revs := make(map[string]int64, len(r.peers))
	var errs []error
	for x := range results {
		if x.err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", x.peer, x.err))
			continue
		}
		revs[x.peer] = x.rev
	}
	return revs, errors.Join(errs...)
}

// Lag returns how many revisions p is behind the local node. The remote
// read runs while the local revision is computed.
func (r *Replicator) Lag(ctx context.Context, p Peer, localRev func() (int64, error)) (int64, error) {
	type remote struct {
		rev int64
		err error
	}
	rc := make(chan remote)
	go func() {
		rev, err := appliedRev(ctx, p.Client)
		rc <- remote{rev, err} // HAZ goroutine-blocked-send
	}()

	local, err := localRev()
	if err != nil {
		return 0, err
	}
	rem := <-rc
	if rem.err != nil {
		return 0, fmt.Errorf("%s: %w", p.Name, rem.err)
	}
	return max(local-rem.rev, 0), nil
}

// Reachable dials every peer's replication port and returns the names of
// the peers that accepted the connection.
func (r *Replicator) Reachable(ctx context.Context) []string {
	var d net.Dialer
	var up []string
	for _, p := range r.peers {
		conn, err := d.DialContext(ctx, "tcp", p.ReplAddr)
		if err != nil {
			r.logger.Printf("replicate: %s unreachable: %v", p.Name, err)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		up = append(up, p.Name)
	}
	return up
}

// PushStaggered starts a push to one peer after another, stagger apart,
// and returns the first peer that acknowledged.
func (r *Replicator) PushStaggered(ctx context.Context, recs []wal.Record, stagger time.Duration) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type result struct {
		peer string
		err  error
	}
	results := make(chan result, len(r.peers))
	var errs []error
	var i int
	for i = 0; i < len(r.peers); i++ {
		go func() { // HAZ loop-var-capture
			p := r.peers[i]
			results <- result{p.Name, r.push(ctx, p, recs)}
		}()
		t := time.NewTimer(stagger)
		select {
		case res := <-results:
			t.Stop()
			if res.err == nil {
				return res.peer, nil
			}
			errs = append(errs, res.err)
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return "", ctx.Err()
		}
	}
	r.logger.Printf("replicate: started %d staggered pushes", i)
	for len(errs) < i {
		select {
		case res := <-results:
			if res.err == nil {
				return res.peer, nil
			}
			errs = append(errs, res.err)
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	return "", errors.Join(errs...)
}

// Run pushes whatever next returns every interval until ctx is done.
func (r *Replicator) Run(ctx context.Context, interval time.Duration, next func() []wal.Record) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		recs := next()
		if len(recs) == 0 {
			continue
		}
		for name, err := range r.pushAll(ctx, recs) {
			r.logger.Printf("replicate to %s: %v", name, err)
		}
	}
}
