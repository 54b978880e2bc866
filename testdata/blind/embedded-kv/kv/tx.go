package kv

import (
	"fmt"
	"sort"
	"time"

	"example.com/ekv/internal/btree"
	"example.com/ekv/internal/page"
)

// Tx is a read or write transaction. A write transaction must be used by
// one goroutine; a read transaction may be shared by several.
type Tx struct {
	db       *DB
	writable bool
	managed  bool
	meta     page.Meta
	tree     *btree.Tree
	taken    []page.ID // pages taken from the freelist, returned on rollback
	onCommit []func()
	stats    TxStats
}

// TxStats counts the work of one write transaction.
type TxStats struct {
	Allocated    int
	Freed        int
	PagesWritten int
}

func (tx *Tx) init() {
	tx.tree = btree.New(tx, tx.meta.Root, tx.db.opts.PageSize)
}

// ID returns the transaction id (the id of the snapshot for readers).
func (tx *Tx) ID() uint64 { return tx.meta.TxID }

// Writable reports whether tx is a write transaction.
func (tx *Tx) Writable() bool { return tx.writable }

// Stats returns the counters of a write transaction.
func (tx *Tx) Stats() TxStats { return tx.stats }

// ReadPage implements btree.Source.
func (tx *Tx) ReadPage(id page.ID) ([]byte, error) {
	if id >= tx.meta.HighWater {
		return nil, fmt.Errorf("kv: page %d beyond high water mark %d", id, tx.meta.HighWater)
	}
	return tx.db.cache.Get(id)
}

// Allocate implements btree.Source.
func (tx *Tx) Allocate() (page.ID, error) {
	if !tx.writable {
		return 0, ErrTxNotWritable
	}
	tx.stats.Allocated++
	if id := tx.db.freelist.Allocate(); id != 0 {
		tx.taken = append(tx.taken, id)
		return id, nil
	}
	id := tx.meta.HighWater
	tx.meta.HighWater++
	return id, nil
}

// Free implements btree.Source.
func (tx *Tx) Free(id page.ID) {
	tx.stats.Freed++
	tx.db.freelist.Free(tx.meta.TxID, id)
}

func (tx *Tx) check(write bool) error {
	if tx.db == nil {
		return ErrTxClosed
	}
	if write && !tx.writable {
		return ErrTxNotWritable
	}
	return nil
}

// Get returns the value of key. The slice is valid until the transaction
// closes.
func (tx *Tx) Get(key []byte) ([]byte, error) {
	if err := tx.check(false); err != nil {
		return nil, err
	}
	v, ok, err := tx.tree.Get(key)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotFound
	}
	return v, nil
}

// Put stores key/value.
func (tx *Tx) Put(key, value []byte) error {
	if err := tx.check(true); err != nil {
		return err
	}
	return tx.tree.Put(key, value)
}

// Delete removes key; deleting a missing key is not an error.
func (tx *Tx) Delete(key []byte) error {
	if err := tx.check(true); err != nil {
		return err
	}
	_, err := tx.tree.Delete(key)
	return err
}

// OnCommit registers fn to run after a successful commit.
func (tx *Tx) OnCommit(fn func()) {
	tx.onCommit = append(tx.onCommit, fn)
}

// Commit writes the transaction's pages, then the meta page.
func (tx *Tx) Commit() (err error) {
	if err := tx.check(true); err != nil {
		return err
	}
	if tx.managed {
		return ErrTxManaged
	}
	defer func() {
		if err != nil {
			tx.rollback()
		}
	}()
	start := time.Now()
	defer tx.db.observeCommit(time.Now().Sub(start)) // HAZ defer-eager-evaluation

	pages := make(map[page.ID][]byte)
	err = tx.tree.Flush(func(id page.ID, buf []byte) error {
		pages[id] = buf
		return nil
	})
	if err != nil {
		return err
	}
	tx.meta.Root = tx.tree.Root()
	if err = tx.writeFreelist(pages); err != nil {
		return err
	}
	if err = tx.db.pager.Grow(tx.meta.HighWater); err != nil {
		return err
	}
	if err = tx.writePages(pages); err != nil {
		return err
	}
	if err = tx.writeMeta(); err != nil {
		return err
	}

	tx.db.metalock.Lock()
	tx.db.meta = tx.meta
	tx.db.metalock.Unlock()
	tx.db.txid.Store(tx.meta.TxID)
	tx.db.counters.commits.Add(1)

	db, handlers := tx.db, tx.onCommit
	tx.close()
	db.runCommitHandlers(handlers)
	return nil
}

func (tx *Tx) writeFreelist(pages map[page.ID][]byte) error {
	tx.Free(tx.meta.Freelist)
	id, err := tx.Allocate()
	if err != nil {
		return err
	}
	buf := make([]byte, tx.db.opts.PageSize)
	if err := tx.db.freelist.Encode(id, buf); err != nil {
		return err
	}
	pages[id] = buf
	tx.meta.Freelist = id
	return nil
}

func (tx *Tx) writePages(pages map[page.ID][]byte) error {
	ids := make([]page.ID, 0, len(pages))
	for id := range pages {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if err := tx.db.pager.Write(id, pages[id]); err != nil {
			return err
		}
		tx.db.cache.Put(id, pages[id])
	}
	tx.stats.PagesWritten += len(ids)
	tx.db.counters.pageWrites.Add(int64(len(ids)))
	if tx.db.opts.NoSync {
		return nil
	}
	return tx.db.pager.Sync()
}

func (tx *Tx) writeMeta() error {
	buf := make([]byte, tx.db.opts.PageSize)
	tx.meta.Encode(buf)
	if err := tx.db.pager.Write(tx.meta.Slot(), buf); err != nil {
		return err
	}
	if tx.db.opts.NoSync {
		return nil
	}
	return tx.db.pager.Sync()
}

// Rollback discards a write transaction or ends a read transaction.
func (tx *Tx) Rollback() error {
	if tx.db == nil {
		return ErrTxClosed
	}
	if tx.managed {
		return ErrTxManaged
	}
	tx.rollback()
	return nil
}

func (tx *Tx) rollback() {
	if tx.db == nil {
		return
	}
	if tx.writable {
		tx.db.freelist.Rollback(tx.meta.TxID, tx.taken)
		tx.db.counters.rollbacks.Add(1)
	}
	tx.close()
}

// close releases the lock taken in Begin.
func (tx *Tx) close() {
	db := tx.db
	if tx.writable {
		db.rwlock.Unlock()
	} else {
		db.readers.Add(-1)
		db.readlock.RUnlock()
	}
	tx.db = nil
	tx.tree = nil
}

// Prefetch loads the given pages into the cache in parallel, so a
// following scan does not wait on the disk page by page.
func (tx *Tx) Prefetch(ids []page.ID) error {
	if err := tx.check(false); err != nil {
		return err
	}
	type result struct {
		id  page.ID
		err error
	}
	c := tx.db.cache
	results := make(chan result, len(ids))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func(id page.ID) {
			_, err := c.Get(id)
			results <- result{id: id, err: err}
		}(id)
	}
	for range ids {
		if r := <-results; r.err != nil {
			return fmt.Errorf("kv: prefetch page %d: %w", r.id, r.err)
		}
	}
	return nil
}

// Pages returns the ids of every page reachable from the root.
func (tx *Tx) Pages() ([]page.ID, error) {
	if err := tx.check(false); err != nil {
		return nil, err
	}
	var ids []page.ID
	err := tx.tree.Walk(func(n btree.NodeInfo) error {
		ids = append(ids, n.ID)
		return nil
	})
	return ids, err
}
