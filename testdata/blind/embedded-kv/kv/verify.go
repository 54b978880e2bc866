package kv

import (
	"fmt"
	"sync"

	"example.com/ekv/internal/btree"
	"example.com/ekv/internal/page"
)

// pageIDs returns the pages reachable in the current snapshot.
func (db *DB) pageIDs() ([]page.ID, error) {
	var ids []page.ID
	err := db.View(func(tx *Tx) error {
		var err error
		ids, err = tx.Pages()
		return err
	})
	return ids, err
}

// splitIDs cuts ids into at most n contiguous parts.
func splitIDs(ids []page.ID, n int) [][]page.ID {
	if n < 1 {
		n = 1
	}
	chunk := (len(ids) + n - 1) / n
	var parts [][]page.ID
	for lo := 0; lo < len(ids); lo += chunk {
		hi := lo + chunk
		if hi > len(ids) {
			hi = len(ids)
		}
		parts = append(parts, ids[lo:hi])
	}
	return parts
}

// Verify re-reads every reachable page from disk, bypassing the cache,
// and checks its checksum and node encoding.
func (db *DB) Verify(workers int) error {
	ids, err := db.pageIDs()
	if err != nil {
		return err
	}
	parts := splitIDs(ids, workers)
	errc := make(chan error, len(parts))
	var wg sync.WaitGroup
	for _, part := range parts {
		wg.Add(1)
		go func(part []page.ID) {
			defer wg.Done()
			for _, id := range part {
				buf, err := db.pager.Read(id)
				if err != nil {
					errc <- err
					return
				}
				h, err := page.DecodeHeader(buf)
				if err != nil {
					errc <- err
					return
				}
				if h.ID != id {
					errc <- fmt.Errorf("kv: verify: page %d has id %d", id, h.ID)
					return
				}
			}
		}(part)
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// WarmCache loads every reachable page into the cache with the given
// number of workers, so the first queries after a restart are fast.
func (db *DB) WarmCache(workers int) error {
	ids, err := db.pageIDs()
	if err != nil {
		return err
	}
	parts := splitIDs(ids, workers)
	errc := make(chan error, len(parts))
	var wg sync.WaitGroup
	for _, part := range parts {
		wg.Add(1)
		go func(part []page.ID) {
			for _, id := range part {
				if _, err := db.cache.Get(id); err != nil {
					errc <- fmt.Errorf("kv: warm page %d: %w", id, err)
					return
				}
			}
			wg.Done() // HAZ waitgroup-done-path
		}(part)
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// CheckFreelist verifies that no free page is reachable from the root.
// It holds the writer lock so the freelist cannot change underneath.
func (db *DB) CheckFreelist() error {
	db.rwlock.Lock()
	defer db.rwlock.Unlock()

	db.metalock.Lock()
	free := db.freelist.IDs()
	db.metalock.Unlock()

	reachable, err := db.pageIDs()
	if err != nil {
		return err
	}
	seen := make(map[page.ID]bool, len(reachable))
	for _, id := range reachable {
		seen[id] = true
	}
	for _, id := range free {
		if seen[id] {
			return fmt.Errorf("kv: page %d is both free and reachable", id)
		}
	}
	return nil
}

// TreeStats summarises the shape of the tree.
type TreeStats struct {
	Depth      int
	Branches   int
	Leaves     int
	EmptyLeafs int
	Keys       int
	FillRatio  float64
}

// TreeStats walks the tree in a read transaction.
func (db *DB) TreeStats() (TreeStats, error) {
	var ts TreeStats
	var used, total int
	err := db.View(func(tx *Tx) error {
		return tx.tree.Walk(func(n btree.NodeInfo) error {
			if n.Depth+1 > ts.Depth {
				ts.Depth = n.Depth + 1
			}
			used += n.Size
			total += db.opts.PageSize
			if !n.Leaf {
				ts.Branches++
				return nil
			}
			ts.Leaves++
			ts.Keys += n.Count
			if n.Count == 0 {
				ts.EmptyLeafs++
			}
			return nil
		})
	})
	if total > 0 {
		ts.FillRatio = float64(used) / float64(total)
	}
	return ts, err
}

// CountPrefixes counts several prefixes concurrently. Each goroutine
// reaches wg.Done on its only path, and results is closed only after
// every sender has finished.
func (db *DB) CountPrefixes(prefixes [][]byte) ([]int, error) {
	type result struct {
		i, n int
		err  error
	}
	results := make(chan result, len(prefixes))
	defer close(results)

	var wg sync.WaitGroup
	for i, p := range prefixes {
		wg.Add(1)
		go func(i int, p []byte) {
			n, err := db.Count(p)
			results <- result{i: i, n: n, err: err}
			wg.Done()
		}(i, p)
	}
	wg.Wait()

	counts := make([]int, len(prefixes))
	for range prefixes {
		r := <-results
		if r.err != nil {
			return nil, r.err
		}
		counts[r.i] = r.n
	}
	return counts, nil
}
