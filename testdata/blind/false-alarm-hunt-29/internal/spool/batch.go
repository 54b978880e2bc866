package spool

import "errors"

// Batch is a transactional writer, such as a database transaction.
type Batch interface {
	Put(key string, val []byte) error
	Commit() error
	Rollback() error
}

// WriteBatch puts every entry and commits, rolling back on failure.
func WriteBatch(b Batch, entries map[string][]byte) error {
	var err error
	defer func() error { // HAZ defer-ineffective-return
		if err != nil {
			return errors.Join(err, b.Rollback())
		}
		return nil
	}()
	for k, v := range entries {
		if err = b.Put(k, v); err != nil {
			return err
		}
	}
	err = b.Commit()
	return err
}

// ApplyBatch is WriteBatch that reports a failed rollback to its caller.
func ApplyBatch(b Batch, entries map[string][]byte) (err error) {
	defer func() {
		if err != nil {
			err = errors.Join(err, b.Rollback())
		}
	}()
	for k, v := range entries {
		if err := b.Put(k, v); err != nil {
			return err
		}
	}
	return b.Commit()
}
