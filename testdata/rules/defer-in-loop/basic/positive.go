// Defers directly in loop bodies: each is a finding.
package fixture

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"sync"
)

func ProcessAll(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // want `^file f from os\.Open on line 15 stays open until ProcessAll returns`
	}
	return nil
}

func lockEach(mu *sync.Mutex, items []int) {
	for range items {
		mu.Lock()
		defer mu.Unlock() // want `^mu is locked on line 26 but the deferred mu\.Unlock\(\) runs only when lockEach returns, so the next iteration's mu\.Lock\(\) deadlocks`
	}
}

type cache struct {
	mu   sync.RWMutex
	data map[string]int
}

func (c *cache) sum(keys []string) int {
	n := 0
	for _, k := range keys {
		c.mu.RLock()
		defer c.mu.RUnlock() // want `^c\.mu is locked on line 39 .* runs only when cache\.sum returns`
		n += c.data[k]
	}
	return n
}

func fetchAll(urls []string) {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `^response body resp from net/http\.Get on line 48 stays open and keeps its connection until fetchAll returns`
	}
}

func queryAll(db *sql.DB, qs []string) {
	for _, q := range qs {
		rows, err := db.Query(q)
		if err != nil {
			return
		}
		defer rows.Close() // want `^rows from \(\*database/sql\.DB\)\.Query on line 58 stay open and hold a database connection until queryAll returns`
	}
}

func withTimeouts(parent context.Context, n int) {
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithCancel(parent)
		defer cancel() // want `^context cancel from context\.WithCancel on line 68 is not cancelled until withTimeouts returns`
		_ = ctx
	}
}

func printLater(n int) {
	for i := 0; i < n; i++ {
		defer fmt.Println(i) // want `^the deferred fmt\.Println\(i\) runs only when printLater returns, not at the end of each iteration of the loop on line 75`
	}
}

func nested(paths []string, verbose bool) {
	for _, p := range paths {
		if verbose {
			f, err := os.Create(p)
			if err == nil {
				defer f.Close() // want `file f from os\.Create on line 83 stays open until nested returns`
			}
		}
	}
}

var inLiteral = func(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close() // want `until the function literal on line 91 returns`
	}
}

func labeled(rows [][]int, mu *sync.Mutex) {
outer:
	for _, r := range rows {
		for _, v := range r {
			if v < 0 {
				continue outer
			}
			defer fmt.Println(v) // want `loop on line 101`
		}
	}
	_ = mu
}

func selectLoop(ch <-chan string, done <-chan struct{}) {
	for i := 0; i < 3; i++ {
		select {
		case p := <-ch:
			f, err := os.Open(p)
			if err != nil {
				return
			}
			defer f.Close() // want `file f from os\.Open on line 115`
		case <-done:
			return
		}
	}
}

// A deferred literal that always runs its cleanup: the pile-up is real, and the message shows
// the literal in short.
func writeAll(dir string, parts [][]byte) (err error) {
	for i, p := range parts {
		f, err := os.Create(fmt.Sprint(dir, "/", i))
		if err != nil {
			return err
		}
		defer func() { // want `^the deferred func\(\) \{\.\.\.\}\(\) runs only when writeAll returns`
			f.Close()
		}()
		if _, err := f.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// A local helper that closes whatever it is given: every file stays open until the end.
func readEach(paths []string) (n int, err error) {
	closeIt := func(f *os.File) {
		f.Close()
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer closeIt(f) // want `^the deferred closeIt\(f\) runs only when readEach returns`
		n++
	}
	return n, nil
}

// A receive deferred per iteration with no token taken in the loop: a wait that piles up.
func waitEach(done chan struct{}, n int) {
	for i := 0; i < n; i++ {
		defer func() { <-done }() // want `^the deferred func\(\) \{\.\.\.\}\(\) runs only when waitEach returns`
	}
}

type cursorNode struct {
	mu   sync.Mutex
	next *cursorNode
	hits int
}

// The cursor is not moved: every iteration locks the same node's mutex again.
func (n *cursorNode) countUntil(limit int) {
	node := n
	for node.hits < limit {
		node.mu.Lock()
		defer node.mu.Unlock() // want `node\.mu is locked on line \d+ but the deferred node\.mu\.Unlock\(\) runs only when cursorNode\.countUntil returns`
		node.hits++
	}
}
