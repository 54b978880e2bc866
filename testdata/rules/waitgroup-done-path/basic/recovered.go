package fixture

import (
	"fmt"
	"sync"
)

func mustDecode(b []byte) int {
	if len(b) < 3 {
		panic("short buffer")
	}
	return int(b[0])
}

// The goroutine recovers, so a panic in mustDecode ends it normally, without the Done.
func decodeParallel(chunks [][]byte) []error {
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	wg.Add(len(chunks))
	for i, c := range chunks {
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("chunk %d: %v", i, r)
				}
			}()
			mustDecode(c)
			wg.Done() // want `wg\.Done\(\) on line \d+ is skipped by a panic in mustDecode\(c\) \(line \d+\), which the goroutine's own recover stops`
		}()
	}
	wg.Wait()
	return errs
}

// The Done deferred first: it runs after the recover. No finding.
func decodeParallelSafe(chunks [][]byte) []error {
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	wg.Add(len(chunks))
	for i, c := range chunks {
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("chunk %d: %v", i, r)
				}
			}()
			mustDecode(c)
		}()
	}
	wg.Wait()
	return errs
}

type item struct {
	id   string
	skip bool
}

// One Done per item, but Add counted every item and the skipped ones never call it.
func recordAll(items []item, record func(string)) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	go func() {
		for _, it := range items {
			if it.skip {
				continue
			}
			record(it.id)
			wg.Done() // want `wg\.Done\(\) on line \d+ is skipped by the continue on line \d+, while wg\.Add\(len\(items\)\) counted every item`
		}
	}()
	wg.Wait()
}

// The skipped items are marked done too: no finding.
func recordAllCounted(items []item, record func(string)) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	go func() {
		for _, it := range items {
			if it.skip {
				wg.Done()
				continue
			}
			record(it.id)
			wg.Done()
		}
	}()
	wg.Wait()
}

type decoder struct{ errs []error }

// recoverChunk stops a panic of a chunk's goroutine and marks the group done for it.
func (d *decoder) recoverChunk(wg *sync.WaitGroup, i int) {
	if r := recover(); r != nil {
		d.errs[i] = fmt.Errorf("chunk %d: %v", i, r)
		wg.Done()
	}
}

// recoverQuietly stops a panic and records it, and leaves the group alone.
func (d *decoder) recoverQuietly(wg *sync.WaitGroup, i int) {
	if r := recover(); r != nil {
		d.errs[i] = fmt.Errorf("chunk %d: %v (%p)", i, r, wg)
	}
}

func (d *decoder) decodeChunk(wg *sync.WaitGroup, i int, c []byte) {
	defer d.recoverChunk(wg, i)
	mustDecode(c)
	wg.Done()
}

func (d *decoder) decodeChunkQuietly(wg *sync.WaitGroup, i int, c []byte) {
	defer d.recoverQuietly(wg, i)
	mustDecode(c)
	wg.Done() // want `wg\.Done\(\) on line \d+ is skipped by a panic in mustDecode\(c\) \(line \d+\), which the goroutine's own recover stops`
}

// The recover handler calls Done on the recovered path, the body on the normal one: each
// goroutine marks the group done once either way.
func (d *decoder) decodeAll(chunks [][]byte, quiet bool) []error {
	d.errs = make([]error, len(chunks))
	var wg sync.WaitGroup
	for i, c := range chunks {
		wg.Add(1)
		if quiet {
			go d.decodeChunkQuietly(&wg, i, c)
		} else {
			go d.decodeChunk(&wg, i, c)
		}
	}
	wg.Wait()
	return d.errs
}

// The same with a literal: its recover branch calls wg.Done itself.
func decodeEach(chunks [][]byte) []error {
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for i, c := range chunks {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("chunk %d: %v", i, r)
					wg.Done()
				}
			}()
			mustDecode(c)
			wg.Done()
		}()
	}
	wg.Wait()
	return errs
}
