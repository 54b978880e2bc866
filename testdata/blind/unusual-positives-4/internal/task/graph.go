package task

import (
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// ErrCycle is returned by NewGraph when the dependencies form a cycle.
var ErrCycle = errors.New("task: dependency cycle")

// Graph is an immutable, topologically sorted set of tasks.
type Graph struct {
	tasks      map[string]Task
	dependents map[string][]string
	order      []string
}

// NewGraph checks the tasks' dependencies and sorts them.
func NewGraph(tasks ...Task) (*Graph, error) {
	g := &Graph{
		tasks:      make(map[string]Task, len(tasks)),
		dependents: make(map[string][]string),
	}
	for _, t := range tasks {
		if _, dup := g.tasks[t.ID()]; dup {
			return nil, fmt.Errorf("task: duplicate id %q", t.ID())
		}
		g.tasks[t.ID()] = t
	}
	for _, t := range tasks {
		for _, d := range t.Deps() {
			if _, ok := g.tasks[d]; !ok {
				return nil, fmt.Errorf("task: %s depends on unknown %q", t.ID(), d)
			}
			g.dependents[d] = append(g.dependents[d], t.ID())
		}
	}
	if err := g.sort(); err != nil {
		return nil, err
	}
	return g, nil
}

// sort orders the tasks with Kahn's algorithm, breaking ties by id.
func (g *Graph) sort() error {
	indeg := make(map[string]int, len(g.tasks))
	for id, t := range g.tasks {
		indeg[id] = len(t.Deps())
	}
	var ready []string
	for id, n := range indeg {
		if n == 0 {
			ready = append(ready, id)
		}
	}
	sort.Strings(ready)
	for len(ready) > 0 {
		id := ready[0]
		ready = ready[1:]
		g.order = append(g.order, id)
		next := append([]string(nil), g.dependents[id]...)
		sort.Strings(next)
		for _, d := range next {
			indeg[d]--
			if indeg[d] == 0 {
				ready = append(ready, d)
			}
		}
	}
	if len(g.order) != len(g.tasks) {
		return fmt.Errorf("%w among %d tasks", ErrCycle, len(g.tasks)-len(g.order))
	}
	return nil
}

// Task returns the task with the given id.
func (g *Graph) Task(id string) (Task, bool) {
	t, ok := g.tasks[id]
	return t, ok
}

// Order returns the ids in dependency order.
func (g *Graph) Order() []string { return append([]string(nil), g.order...) }

// Dependents returns the ids of the tasks that depend directly on id.
func (g *Graph) Dependents(id string) []string {
	return append([]string(nil), g.dependents[id]...)
}

// MissingOutputs checks, in parallel, which shell tasks have not produced
// their declared outputs under root.
func MissingOutputs(root string, tasks []*Shell) map[string][]string {
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		missing = make(map[string][]string)
	)
	for _, t := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, out := range t.Outputs {
				if _, err := os.Stat(filepath.Join(root, out)); err != nil {
					mu.Lock()
					missing[t.Name] = append(missing[t.Name], out)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return missing
}

// All iterates over the tasks in dependency order.
func (g *Graph) All() iter.Seq2[string, Task] {
	return func(yield func(string, Task) bool) {
		for _, id := range g.order {
			if !yield(id, g.tasks[id]) {
				return
			}
		}
	}
}
