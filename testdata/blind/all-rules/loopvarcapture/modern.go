// Package fanout spreads cluster operations over goroutines.
package fanout

import (
	"context"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Peer is a cluster member.
type Peer struct {
	Addr string
}

type shard struct {
	id int
	mu sync.Mutex
}

func (s *shard) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
}

// Cluster fans operations out to peers and shards.
type Cluster struct {
	peers      []Peer
	shards     []*shard
	pinged     atomic.Int64
	replicated atomic.Int64
	watching   atomic.Int64
	stagger    time.Duration
	mu         sync.Mutex
	data       map[string][]byte
}

func (c *Cluster) ping(ctx context.Context, p Peer) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", p.Addr)
	if err != nil {
		return
	}
	conn.Close()
}

func (c *Cluster) store(k string, v []byte) {
	c.mu.Lock()
	c.data[k] = v
	c.mu.Unlock()
}

// Retry pings a peer on a counted schedule with an outer counter.
func (c *Cluster) Retry(ctx context.Context, p Peer, attempts int) {
	var i int
	var wg sync.WaitGroup
	for i = 0; i < attempts; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			log.Printf("attempt %d to %s", i, p.Addr)
			c.ping(ctx, p)
		}()
	}
	wg.Wait()
}

// ReplicateInto reuses outer variables as range targets.
func (c *Cluster) ReplicateInto(data map[string][]byte) (lastKey string) {
	var (
		k  string
		v  []byte
		wg sync.WaitGroup
	)
	for k, v = range data {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			c.store(k, v)
		}()
	}
	wg.Wait()
	return k
}

// AnnounceLines announces every line; line survives the loop for the summary.
func (c *Cluster) AnnounceLines(lines []string) string {
	var line string
	var wg sync.WaitGroup
	for _, line = range lines {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			log.Printf("announce: %s", line)
		}()
	}
	wg.Wait()
	return line
}

// ---- negatives (go1.22 per-iteration variables) ----

// PingAllModern: each iteration has its own p.
func (c *Cluster) PingAllModern(ctx context.Context) {
	var wg sync.WaitGroup
	for _, p := range c.peers {
		wg.Add(1)
		go func() { // ok: go1.22 per-iteration variable
			defer wg.Done()
			c.ping(ctx, p)
		}()
	}
	wg.Wait()
}

// FlushAllModern: three-clause loops also get a fresh i per iteration.
func (c *Cluster) FlushAllModern() {
	var wg sync.WaitGroup
	for i := 0; i < len(c.shards); i++ {
		wg.Add(1)
		go func() { // ok: go1.22
			defer wg.Done()
			c.shards[i].flush()
		}()
	}
	wg.Wait()
}

// RetryCopied reuses an outer counter but captures only a per-iteration copy.
func (c *Cluster) RetryCopied(ctx context.Context, p Peer, attempts int) {
	var i int
	var wg sync.WaitGroup
	for i = 0; i < attempts; i++ {
		n := i
		wg.Add(1)
		go func() { // ok: captures n, not i
			defer wg.Done()
			log.Printf("attempt %d to %s", n, p.Addr)
			c.ping(ctx, p)
		}()
	}
	wg.Wait()
}

// ReplicateModern captures go1.22 range variables.
func (c *Cluster) ReplicateModern(data map[string][]byte) {
	var wg sync.WaitGroup
	for k, v := range data {
		wg.Add(1)
		go func() { // ok: go1.22
			defer wg.Done()
			c.store(k, v)
		}()
	}
	wg.Wait()
}
