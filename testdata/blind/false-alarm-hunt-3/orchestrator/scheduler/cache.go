package scheduler

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// NodeInfo is the scheduler's view of one node. Its mu guards the resource
// fields. When two nodes must be locked together they are locked in name
// order (see lockPair).
type NodeInfo struct {
	Name string

	mu        sync.Mutex
	allocCPU  int64
	allocMem  int64
	usedCPU   int64
	usedMem   int64
	pods      map[string]bool
	cordoned  bool
	heartbeat time.Time
}

// Cache holds nodes and assumed pods. Lock order: Cache.mu, then NodeInfo.mu.
type Cache struct {
	mu      sync.RWMutex
	nodes   map[string]*NodeInfo
	assumed map[string]string // pod -> node
	gen     uint64
}

// ErrNoNode is returned for unknown nodes.
var ErrNoNode = errors.New("scheduler: unknown node")

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{nodes: map[string]*NodeInfo{}, assumed: map[string]string{}}
}

// node returns a node, adding it if absent. The read path is tried first;
// after dropping the read lock and taking the write lock the map is checked
// again because another goroutine may have added the node in between.
func (c *Cache) node(name string) *NodeInfo {
	c.mu.RLock()
	n, ok := c.nodes[name]
	c.mu.RUnlock()
	if ok {
		return n
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok = c.nodes[name]; ok {
		return n
	}
	n = &NodeInfo{Name: name, pods: map[string]bool{}}
	c.nodes[name] = n
	c.gen++
	return n
}

// UpdateNode sets allocatable resources.
func (c *Cache) UpdateNode(name string, cpu, mem int64) {
	n := c.node(name)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.allocCPU, n.allocMem = cpu, mem
	n.heartbeat = time.Now()
}

// fitsLocked reports whether the pod fits. Caller must hold n.mu.
func (n *NodeInfo) fitsLocked(cpu, mem int64) bool {
	return !n.cordoned && n.usedCPU+cpu <= n.allocCPU && n.usedMem+mem <= n.allocMem
}

// addPodLocked accounts for a pod. Caller must hold n.mu.
func (n *NodeInfo) addPodLocked(pod string, cpu, mem int64) {
	n.pods[pod] = true
	n.usedCPU += cpu
	n.usedMem += mem
}

// removePodLocked undoes addPodLocked. Caller must hold n.mu.
func (n *NodeInfo) removePodLocked(pod string, cpu, mem int64) {
	if !n.pods[pod] {
		return
	}
	delete(n.pods, pod)
	n.usedCPU -= cpu
	n.usedMem -= mem
}

// Assume reserves resources for pod on node before the bind completes.
func (c *Cache) Assume(pod, node string, cpu, mem int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.assumed[pod]; ok {
		return fmt.Errorf("pod %s already assumed on %s", pod, prev)
	}
	n, ok := c.nodes[node]
	if !ok {
		return ErrNoNode
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.fitsLocked(cpu, mem) {
		return fmt.Errorf("pod %s does not fit on %s", pod, node)
	}
	n.addPodLocked(pod, cpu, mem)
	c.assumed[pod] = node
	return nil
}

// Forget drops an assumed pod.
func (c *Cache) Forget(pod string, cpu, mem int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	node, ok := c.assumed[pod]
	if !ok {
		return
	}
	delete(c.assumed, pod)
	if n, ok := c.nodes[node]; ok {
		n.mu.Lock()
		n.removePodLocked(pod, cpu, mem)
		n.mu.Unlock()
	}
}

// lockPair locks two distinct nodes in name order and returns the unlock
// function. Deadlock-free whatever order callers pass them in.
func lockPair(a, b *NodeInfo) (unlock func()) {
	if a.Name > b.Name {
		a, b = b, a
	}
	a.mu.Lock()
	b.mu.Lock() // ok: released by the returned func
	return func() {
		b.mu.Unlock()
		a.mu.Unlock()
	}
}

// Move reassigns a pod between nodes atomically.
func (c *Cache) Move(pod, from, to string, cpu, mem int64) error {
	if from == to {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	src, ok1 := c.nodes[from]
	dst, ok2 := c.nodes[to]
	if !ok1 || !ok2 {
		return ErrNoNode
	}
	defer lockPair(src, dst)() // ok: lockPair runs now, the unlock at exit
	if !dst.fitsLocked(cpu, mem) {
		return fmt.Errorf("pod %s does not fit on %s", pod, to)
	}
	src.removePodLocked(pod, cpu, mem)
	dst.addPodLocked(pod, cpu, mem)
	c.assumed[pod] = to
	return nil
}

// Cordon marks a node unschedulable.
func (c *Cache) Cordon(name string) error {
	c.mu.RLock()
	n, ok := c.nodes[name]
	c.mu.RUnlock()
	if !ok {
		return ErrNoNode
	}
	n.mu.Lock()
	n.cordoned = true
	n.mu.Unlock()
	return nil
}

// Candidate is a node that fits a pod.
type Candidate struct {
	Name     string
	FreeCPU  int64
	FreeMem  int64
	PodCount int
}

// Filter returns nodes that fit, best first.
func (c *Cache) Filter(cpu, mem int64) []Candidate {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []Candidate
	for _, n := range c.nodes {
		if cand, ok := n.candidate(cpu, mem); ok {
			out = append(out, cand)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FreeCPU > out[j].FreeCPU })
	return out
}

// candidate takes n.mu for one node.
func (n *NodeInfo) candidate(cpu, mem int64) (Candidate, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.fitsLocked(cpu, mem) {
		return Candidate{}, false
	}
	return Candidate{Name: n.Name, FreeCPU: n.allocCPU - n.usedCPU, FreeMem: n.allocMem - n.usedMem, PodCount: len(n.pods)}, true
}

// Generation returns the cache generation; if the caller holds the write
// lock (during a batched update) it says so and no lock is taken.
func (c *Cache) Generation(locked bool) uint64 {
	if !locked {
		c.mu.RLock()
		defer c.mu.RUnlock() // ok: deferred only on the path that locked
	}
	return c.gen
}

// Batch applies several node updates under one write lock.
func (c *Cache) Batch(updates map[string][2]int64) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, u := range updates {
		n, ok := c.nodes[name]
		if !ok {
			n = &NodeInfo{Name: name, pods: map[string]bool{}}
			c.nodes[name] = n
		}
		n.mu.Lock()
		n.allocCPU, n.allocMem = u[0], u[1]
		n.mu.Unlock()
	}
	c.gen++
	return c.Generation(true) // ok: tells Generation the lock is already held
}

// Stale returns nodes whose heartbeat is older than ttl.
func (c *Cache) Stale(ttl time.Duration) []string {
	c.mu.RLock()
	nodes := make([]*NodeInfo, 0, len(c.nodes))
	for _, n := range c.nodes {
		nodes = append(nodes, n)
	}
	c.mu.RUnlock()

	var stale []string
	for _, n := range nodes {
		n.mu.Lock()
		old := time.Since(n.heartbeat) > ttl
		n.mu.Unlock() // ok: unlocked in the same iteration, no defer
		if old {
			stale = append(stale, n.Name)
		}
	}
	sort.Strings(stale)
	return stale
}

// RemoveNode deletes a node that has no pods.
func (c *Cache) RemoveNode(name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.nodes[name]
	if !ok {
		return ErrNoNode
	}
	n.mu.Lock()
	busy := len(n.pods) > 0
	n.mu.Unlock()
	if busy {
		return fmt.Errorf("node %s still has pods", name)
	}
	delete(c.nodes, name)
	c.gen++
	return nil
}

// Heartbeat records a node heartbeat, creating the node if needed.
func (c *Cache) Heartbeat(name string, at time.Time) {
	n := c.node(name)
	n.mu.Lock()
	if at.After(n.heartbeat) {
		n.heartbeat = at
	}
	n.mu.Unlock()
}

// Drain evicts all pods from a node, locking cache then node.
func (c *Cache) Drain(name string, evict func(pod string) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.nodes[name]
	if !ok {
		return ErrNoNode
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.cordoned = true
	for pod := range n.pods {
		if err := evict(pod); err != nil {
			return fmt.Errorf("evict %s: %w", pod, err) // ok: both defers release
		}
		delete(n.pods, pod)
		delete(c.assumed, pod)
	}
	return nil
}
