// Package graph holds the action graph of a build and runs it.
package graph

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Node is one action in the build graph.
type Node struct {
	ID     string
	Deps   []string
	Inputs []string
	Action func(ctx context.Context) error
}

// Event reports the completion of one node.
type Event struct {
	ID  string
	Err error
}

// Graph is a set of nodes keyed by ID, kept in insertion order.
type Graph struct {
	nodes map[string]*Node
	order []string
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{nodes: make(map[string]*Node)}
}

// Add inserts n; its dependencies must already be present.
func (g *Graph) Add(n *Node) error {
	if _, dup := g.nodes[n.ID]; dup {
		return fmt.Errorf("graph: duplicate node %s", n.ID)
	}
	for _, d := range n.Deps {
		if _, ok := g.nodes[d]; !ok {
			return fmt.Errorf("graph: %s depends on unknown node %s", n.ID, d)
		}
	}
	g.nodes[n.ID] = n
	g.order = append(g.order, n.ID)
	return nil
}

// Levels groups the nodes so that every node's dependencies are in an
// earlier level. Within a level IDs are sorted.
func (g *Graph) Levels() [][]string {
	depth := make(map[string]int, len(g.nodes))
	maxDepth := 0
	for _, id := range g.order { // insertion order is a topological order
		d := 0
		for _, dep := range g.nodes[id].Deps {
			if depth[dep]+1 > d {
				d = depth[dep] + 1
			}
		}
		depth[id] = d
		if d > maxDepth {
			maxDepth = d
		}
	}
	levels := make([][]string, maxDepth+1)
	for id, d := range depth {
		levels[d] = append(levels[d], id)
	}
	for _, l := range levels {
		sort.Strings(l)
	}
	return levels
}

// RunLevels executes the graph level by level with at most jobs actions in
// flight, stopping after the first level that fails.
func (g *Graph) RunLevels(ctx context.Context, jobs int) error {
	if jobs < 1 {
		jobs = 1
	}
	sem := make(chan struct{}, jobs)
	for _, level := range g.Levels() {
		errs := make([]error, len(level))
		var wg sync.WaitGroup
		for i, id := range level {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				errs[i] = g.nodes[id].Action(ctx)
				<-sem
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
	}
	return nil
}

// RunLevel runs the nodes of one level concurrently and reports each
// completion on out, which is closed once every action has finished.
func (g *Graph) RunLevel(ctx context.Context, level []string, out chan<- Event) error {
	defer close(out)
	errs := make([]error, len(level))
	var wg sync.WaitGroup
	for i, id := range level {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = g.nodes[id].Action(ctx)
			out <- Event{ID: id, Err: errs[i]}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunLeaves runs every node without dependencies concurrently, reporting
// each completion on out; out is closed when RunLeaves returns. It fails
// fast on the first error.
func (g *Graph) RunLeaves(ctx context.Context, out chan<- Event) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	var leaves []*Node
	for _, id := range g.order {
		if n := g.nodes[id]; len(n.Deps) == 0 {
			leaves = append(leaves, n)
		}
	}
	errc := make(chan error, len(leaves))
	for _, n := range leaves {
		go func() {
			err := n.Action(ctx)
			out <- Event{ID: n.ID, Err: err}
			errc <- err
		}()
	}
	for range leaves {
		if err := <-errc; err != nil {
			return fmt.Errorf("graph: leaf failed: %w", err)
		}
	}
	return nil
}

// Emit sends the node IDs in insertion order on out and closes it. It stops
// early when ctx is done.
func (g *Graph) Emit(ctx context.Context, out chan<- string) {
	defer close(out)
	for _, id := range g.order {
		select {
		case out <- id:
		case <-ctx.Done():
			return
		}
	}
}

// Prefetch warms the remote cache for the inputs of every node, calling
// fetch once per node that has inputs.
func (g *Graph) Prefetch(ctx context.Context, fetch func(ctx context.Context, n *Node) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, id := range g.order {
		n := g.nodes[id]
		if len(n.Inputs) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			if ctx.Err() != nil {
				return // build cancelled: nothing worth warming
			}
			if err := fetch(ctx, n); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("prefetch %s: %w", n.ID, err))
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// CollectEvents drains events until the channel is closed and returns the
// IDs of the failed nodes.
func CollectEvents(events <-chan Event) []string {
	var failed []string
	for ev := range events {
		if ev.Err != nil {
			failed = append(failed, ev.ID)
		}
	}
	sort.Strings(failed)
	return failed
}
