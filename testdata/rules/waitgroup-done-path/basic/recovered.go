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
