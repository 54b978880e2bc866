// None of these is a finding of defer-in-loop.
package fixture

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// The standard fix: the loop body in a function literal, so each defer runs per iteration.
func fixed(paths []string) {
	for _, p := range paths {
		func() {
			f, err := os.Open(p)
			if err != nil {
				return
			}
			defer f.Close()
		}()
	}
}

// A defer before the loop.
func before(mu *sync.Mutex, items []int) int {
	mu.Lock()
	defer mu.Unlock()
	n := 0
	for _, v := range items {
		n += v
	}
	return n
}

// A defer after the loop.
func after(items []int) {
	for range items {
		fmt.Println("x")
	}
	defer fmt.Println("done")
}

// A loop inside a deferred function literal: nothing is deferred inside the loop.
func cleanupAll(files []*os.File) {
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
}

// Closing directly in the loop body.
func direct(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		f.Close()
	}
}

// A go statement in a loop is not a defer.
func spawn(n int, wg *sync.WaitGroup) {
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
		}()
	}
}

// A function literal stored in the loop: its defer belongs to the literal.
func stored(mu *sync.Mutex, n int) []func() {
	var fns []func()
	for i := 0; i < n; i++ {
		fns = append(fns, func() {
			mu.Lock()
			defer mu.Unlock()
		})
	}
	return fns
}

// A named helper with its own defer, called from the loop.
func helper(p string) {
	f, err := os.Open(p)
	if err != nil {
		return
	}
	defer f.Close()
}

func callsHelper(paths []string) {
	for _, p := range paths {
		helper(p)
	}
}

// A loop that never ends is defer-in-infinite-loop's finding, not this rule's.
func forever(ch chan int) {
	for {
		defer fmt.Println("never")
		if len(ch) > 100 {
			fmt.Println("full")
		}
	}
}

// Goroutine per iteration with a defer inside it.
func workers(jobs []string) {
	for _, j := range jobs {
		go func(j string) {
			defer fmt.Println("finished", j)
		}(j)
	}
}

// Undo on failure: each part written registers its own removal, run at exit only when the
// function fails.
func writeParts(dir string, parts [][]byte) (err error) {
	for i, p := range parts {
		name := filepath.Join(dir, fmt.Sprintf("part-%03d", i))
		if err := os.WriteFile(name, p, 0o644); err != nil {
			return err
		}
		defer func() {
			if err != nil {
				os.Remove(name)
			}
		}()
	}
	return nil
}

// The same rollback through a local helper that only ever holds one literal: each ring opened
// stays open on success, and is closed at exit only when the function fails.
func openRings(paths []string) (files []*os.File, err error) {
	closeOnError := func(f *os.File) {
		if err != nil {
			f.Close()
		}
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer closeOnError(f)
		files = append(files, f)
	}
	return files, nil
}

type shard struct {
	mu   sync.RWMutex
	data map[string]int
}

type shardMap struct{ shards []*shard }

// Lock-all: each iteration locks another shard's mutex, all held until the snapshot is taken.
func (m *shardMap) snapshot() map[string]int {
	for _, s := range m.shards {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	out := map[string]int{}
	for _, s := range m.shards {
		for k, v := range s.data {
			out[k] = v
		}
	}
	return out
}

func (m *shardMap) clearAll() {
	for i := range m.shards {
		m.shards[i].mu.Lock()
		defer m.shards[i].mu.Unlock()
	}
	for _, s := range m.shards {
		clear(s.data)
	}
}

type runner struct{ inFlight chan struct{} }

// Acquire-all: each iteration takes a token and defers giving it back, so that every token is
// held until the exclusive work is done.
func (r *runner) exclusive(work func()) {
	for i := 0; i < cap(r.inFlight); i++ {
		r.inFlight <- struct{}{}
		defer func() { <-r.inFlight }()
	}
	work()
}

type treeNode struct {
	mu     sync.RWMutex
	parent *treeNode
	name   string
}

// A cursor moved up the tree: each iteration read-locks another node, all held until the path
// is built and returned, which nothing after the loop needs.
func (n *treeNode) path() []string {
	var out []string
	node := n
	for node != nil {
		node.mu.RLock()
		defer node.mu.RUnlock() // want `node\.mu is locked on line \d+ in every iteration of the loop on line \d+, but the deferred node\.mu\.RUnlock\(\) runs only when treeNode\.path returns`
		out = append(out, node.name)
		node = node.parent
	}
	return out
}
