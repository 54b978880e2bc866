package main

import (
	"fmt"
	"sync"
)

// counter is shared by the workers below.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

// addAll locks once per item and defers the unlock: the second item deadlocks.
func (c *counter) addAll(keys []string) {
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.n[k]++
	}
}

// drain logs each job on exit, but the loop only ends when jobs is closed.
func drain(jobs chan string) {
	for j := range jobs {
		defer fmt.Println("finished", j)
	}
}
