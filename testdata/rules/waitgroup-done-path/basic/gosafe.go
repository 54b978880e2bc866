package fixture

import (
	"log"
	"sync"
)

type pool struct{ logf func(string, ...any) }

// goSafe runs fn on its own goroutine and logs a panic instead of crashing.
func (p *pool) goSafe(fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Printf("background panic: %v", r)
			}
		}()
		fn()
	}()
}

// The helper's recover stops a panic in mustDecode, and the goroutine ends without its Done.
func (p *pool) decodeAll(chunks [][]byte) {
	var wg sync.WaitGroup
	for _, c := range chunks {
		wg.Add(1)
		p.goSafe(func() {
			mustDecode(c)
			wg.Done() // want `wg\.Done\(\) on line \d+ is skipped by a panic in mustDecode\(c\) \(line \d+\), which the goroutine's own recover stops`
		})
	}
	wg.Wait()
}

// Done deferred first: it runs on the recovered path too. No finding.
func (p *pool) decodeAllSafe(chunks [][]byte) {
	var wg sync.WaitGroup
	for _, c := range chunks {
		wg.Add(1)
		p.goSafe(func() {
			defer wg.Done()
			mustDecode(c)
		})
	}
	wg.Wait()
}
