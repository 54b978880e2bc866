package kv

import (
	"bytes"
	"context"

	"example.com/ekv/internal/btree"
)

// KV is a copied key/value pair.
type KV struct {
	Key   []byte
	Value []byte
}

// Iterator walks the keys with a given prefix in order.
//
//	it := tx.Iterate([]byte("user/"))
//	for it.Next() { use(it.Key(), it.Value()) }
//	if err := it.Err(); err != nil { ... }
type Iterator struct {
	cur     *btree.Cursor
	prefix  []byte
	key     []byte
	val     []byte
	err     error
	started bool
	done    bool
}

// Iterate returns an iterator over the keys starting with prefix.
func (tx *Tx) Iterate(prefix []byte) *Iterator {
	it := &Iterator{prefix: prefix}
	if err := tx.check(false); err != nil {
		it.err = err
		return it
	}
	it.cur = tx.tree.Cursor()
	return it
}

// Next advances to the next key and reports whether there is one.
func (it *Iterator) Next() bool {
	if it.done || it.err != nil {
		return false
	}
	var k, v []byte
	var err error
	switch {
	case it.started:
		k, v, err = it.cur.Next()
	case len(it.prefix) > 0:
		k, v, err = it.cur.Seek(it.prefix)
	default:
		k, v, err = it.cur.First()
	}
	it.started = true
	if err != nil {
		it.err = err
		return false
	}
	if k == nil || !bytes.HasPrefix(k, it.prefix) {
		it.done = true
		return false
	}
	it.key, it.val = k, v
	return true
}

// Key returns the current key; valid until the transaction closes.
func (it *Iterator) Key() []byte { return it.key }

// Value returns the current value; valid until the transaction closes.
func (it *Iterator) Value() []byte { return it.val }

// Err returns the error that stopped the iteration, if any.
func (it *Iterator) Err() error { return it.err }

// ForEach calls fn for every key with the prefix. A panic in fn is
// returned as an error wrapping ErrCallbackPanic.
func (tx *Tx) ForEach(prefix []byte, fn func(k, v []byte) error) error {
	it := tx.Iterate(prefix)
	for it.Next() {
		if err := protect(func() error { return fn(it.Key(), it.Value()) }); err != nil {
			return err
		}
	}
	return it.Err()
}

// Range returns up to limit pairs in [start, end). A nil end means no
// upper bound; limit <= 0 means no limit.
func (tx *Tx) Range(start, end []byte, limit int) ([]KV, error) {
	if err := tx.check(false); err != nil {
		return nil, err
	}
	var out []KV
	c := tx.tree.Cursor()
	k, v, err := c.Seek(start)
	for ; err == nil && k != nil; k, v, err = c.Next() {
		if end != nil && bytes.Compare(k, end) >= 0 {
			break
		}
		out = append(out, KV{Key: clone(k), Value: clone(v)})
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out, err
}

// ForEach runs Tx.ForEach in a read transaction.
func (db *DB) ForEach(prefix []byte, fn func(k, v []byte) error) error {
	return db.View(func(tx *Tx) error { return tx.ForEach(prefix, fn) })
}

// Count returns the number of keys with the prefix.
func (db *DB) Count(prefix []byte) (int, error) {
	n := 0
	err := db.ForEach(prefix, func(_, _ []byte) error {
		n++
		return nil
	})
	return n, err
}

// Scan streams copies of the pairs with the prefix. The read transaction
// stays open until the stream is drained or ctx is cancelled; the error
// channel receives exactly one value.
func (db *DB) Scan(ctx context.Context, prefix []byte) (<-chan KV, <-chan error) {
	out := make(chan KV)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		errc <- db.View(func(tx *Tx) error {
			it := tx.Iterate(prefix)
			for it.Next() {
				select {
				case out <- KV{Key: clone(it.Key()), Value: clone(it.Value())}:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return it.Err()
		})
	}()
	return out, errc
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
