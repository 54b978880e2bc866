//go:build go1.22

package kv

import (
	"errors"
	"sync"
)

// MultiGet looks keys up concurrently from one read transaction. Missing
// keys yield nil values. This file needs Go 1.22 semantics: the worker
// goroutines capture the per-iteration loop variable w.
func (db *DB) MultiGet(keys [][]byte, workers int) ([][]byte, error) {
	if workers < 1 {
		workers = 1
	}
	tx, err := db.Begin(false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	vals := make([][]byte, len(keys))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(keys); i += workers {
				v, err := tx.Get(keys[i])
				if errors.Is(err, ErrNotFound) {
					continue
				}
				if err != nil {
					errs[w] = err
					return
				}
				vals[i] = clone(v)
			}
		}()
	}
	wg.Wait()
	return vals, errors.Join(errs...)
}

// PutAll writes pairs from several producers: each producer gets its own
// slice, and the goroutines read their loop variables directly.
func (db *DB) PutAll(groups map[string][]KV) error {
	var mu sync.Mutex
	var all []KV
	var wg sync.WaitGroup
	for name, kvs := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]KV, 0, len(kvs))
			for _, p := range kvs {
				if len(p.Key) == 0 {
					db.logf("kv: PutAll: empty key in group %s skipped", name)
					continue
				}
				local = append(local, p)
			}
			mu.Lock()
			all = append(all, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return db.putBatch(all)
}
