package fixture

import "sync"

type gridShard struct {
	mu    sync.Mutex
	cells map[int][]string
}

type grid struct {
	shards []*gridShard
	idxMu  sync.Mutex
	idx    map[string]int
}

// shardFor picks a shard by hashing the cell: two cells may share one.
func (g *grid) shardFor(cell int) *gridShard {
	h := uint32(cell) * 2654435761
	return g.shards[h%uint32(len(g.shards))]
}

type driverPos struct {
	id   string
	cell int
}

// Two drivers in cells of the same shard: the second iteration locks a mutex the first still holds.
func (g *grid) applyBatch(batch []driverPos) {
	for _, d := range batch {
		s := g.shardFor(d.cell)
		s.mu.Lock()
		defer s.mu.Unlock() // want `a later iteration whose key g\.shardFor\(d\.cell\) gives the same mutex runs s\.mu\.Lock\(\), which deadlocks`
		s.cells[d.cell] = append(s.cells[d.cell], d.id)
	}
	g.idxMu.Lock()
	defer g.idxMu.Unlock()
	for _, d := range batch {
		g.idx[d.id] = d.cell
	}
}

// Each shard once, by ranging over the shards themselves: the lock-all idiom.
func (g *grid) snapshot() map[int]int {
	out := map[int]int{}
	for _, s := range g.shards {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	for _, s := range g.shards {
		for c, ids := range s.cells {
			out[c] = len(ids)
		}
	}
	return out
}

type consumerState struct {
	mu        sync.RWMutex
	delivered int
}

type streamServer struct {
	consumers map[string]*consumerState
}

func (s *streamServer) lookupConsumer(name string) *consumerState { return s.consumers[name] }

// Each server's own consumer: another mutex each iteration, not a key that can recur; but each
// stays locked while the later servers are checked.
func checkDelivered(servers []*streamServer, want int) bool {
	for _, s := range servers {
		o := s.lookupConsumer("d")
		o.mu.RLock()
		defer o.mu.RUnlock() // want `o\.mu is locked on line \d+ in every iteration of the loop on line \d+`
		if o.delivered != want {
			return false
		}
	}
	return true
}
