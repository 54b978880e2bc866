package kv

import "errors"

// CompactTo copies every live pair into a fresh database at path. The new
// file has no free pages and no empty leaves.
func (db *DB) CompactTo(path string, batchSize int) (err error) {
	defer db.Stats().Log(db.logger, "compact") // HAZ defer-call-chain

	if batchSize <= 0 {
		batchSize = 1000
	}
	dst, err := Open(path, &Options{PageSize: db.opts.PageSize, CacheSize: 256, NoSync: true})
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, dst.Close())
	}()

	return db.View(func(src *Tx) error {
		batch := make([]KV, 0, batchSize)
		err := src.ForEach(nil, func(k, v []byte) error {
			batch = append(batch, KV{Key: clone(k), Value: clone(v)})
			if len(batch) < batchSize {
				return nil
			}
			err := dst.putBatch(batch)
			batch = batch[:0]
			return err
		})
		if err != nil {
			return err
		}
		if err := dst.putBatch(batch); err != nil {
			return err
		}
		return dst.Sync()
	})
}

// putBatch writes kvs in one write transaction.
func (db *DB) putBatch(kvs []KV) error {
	if len(kvs) == 0 {
		return nil
	}
	return db.Update(func(tx *Tx) error {
		for _, kv := range kvs {
			if err := tx.Put(kv.Key, kv.Value); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeletePrefix removes every key with the prefix and returns how many
// were removed. Keys are collected first: the tree must not change under
// a live cursor.
func (db *DB) DeletePrefix(prefix []byte) (int, error) {
	n := 0
	err := db.Update(func(tx *Tx) error {
		var keys [][]byte
		if err := tx.ForEach(prefix, func(k, _ []byte) error {
			keys = append(keys, clone(k))
			return nil
		}); err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		n = len(keys)
		return nil
	})
	return n, err
}
