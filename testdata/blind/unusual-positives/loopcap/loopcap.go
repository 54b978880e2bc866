// Package loopcap starts goroutines from loops under different Go versions.
package loopcap

import (
	"errors"
	"log"
	"strings"
	"sync"
)

// Tile is one cell of a rendered grid.
type Tile struct{ Glyph rune }

// Render draws the tile.
func (t Tile) Render() string { return string(t.Glyph) }

// Job is a unit of work.
type Job struct{ Name string }

// Cache can be pre-populated.
type Cache struct{ keys []string }

// Warm pre-populates the cache.
func (c *Cache) Warm() error {
	if len(c.keys) == 0 {
		return errors.New("nothing to warm")
	}
	return nil
}

// Shard buffers writes.
type Shard struct {
	mu  sync.Mutex
	buf []string
}

// Flush empties the shard buffer.
func (s *Shard) Flush() {
	s.mu.Lock()
	s.buf = s.buf[:0]
	s.mu.Unlock()
}

// Message is an outgoing message.
type Message struct {
	ID   string
	Body string
}

// Item is processed in place.
type Item struct{ Name string }

// Process normalises the item name.
func (it *Item) Process() { it.Name = strings.ToLower(it.Name) }

// Node is a singly linked list node.
type Node struct {
	Val  int
	next *Node
}

var verbose = false

func debugf(format string, args ...any) {
	if verbose {
		log.Printf(format, args...)
	}
}

func retry(n int, f func() error) error {
	var err error
	for i := 0; i < n; i++ {
		if err = f(); err == nil {
			return nil
		}
	}
	return err
}

// WalkList walks with a cursor declared outside the loop: the header assigns
// n, so it is one variable at every Go version.
func WalkList(head *Node, visit func(*Node)) {
	var wg sync.WaitGroup
	var n *Node
	for n = head; n != nil; n = n.next {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			visit(n)
		}()
	}
	wg.Wait()
}

// PublishAll ranges with = into variables declared before the loop, so the
// goroutines share topic and payload even under go1.22.
func PublishAll(topics map[string][]byte, pub func(string, []byte) error) []error {
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		errs    []error
		topic   string
		payload []byte
	)
	for topic, payload = range topics {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := pub(topic, payload); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errs
}

// ---- negatives (go1.22 semantics) ----

// FlushShardsPerIteration: i is declared by the loop and per-iteration.
func FlushShardsPerIteration(shards []*Shard) {
	var wg sync.WaitGroup
	for i := 0; i < len(shards); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			shards[i].Flush()
		}()
	}
	wg.Wait()
}

// RenderTilesPerIteration is RenderTiles under go1.22 semantics.
func RenderTilesPerIteration(grid [][]Tile, out [][]string) {
	var wg sync.WaitGroup
	for y, row := range grid {
		for x, t := range row {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out[y][x] = t.Render()
			}()
		}
	}
	wg.Wait()
}

// PublishEach declares topic and payload in the range clause.
func PublishEach(topics map[string][]byte, pub func(string, []byte) error) {
	var wg sync.WaitGroup
	for topic, payload := range topics {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := pub(topic, payload); err != nil {
				log.Printf("publish %s: %v", topic, err)
			}
		}()
	}
	wg.Wait()
}
