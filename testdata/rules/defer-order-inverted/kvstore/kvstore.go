// Package kvstore is a small store with a database/sql-shaped API: Close waits until the open
// transaction has ended.
package kvstore

import (
	"context"
	"errors"
	"sync"
)

type DB struct {
	mu   sync.Mutex
	busy *sync.WaitGroup
	data map[string]string
}

func Open() *DB { return &DB{busy: &sync.WaitGroup{}, data: map[string]string{}} }

type Tx struct {
	db   *DB
	done bool
	set  map[string]string
}

func (db *DB) BeginTx(ctx context.Context) (*Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	db.busy.Add(1)
	return &Tx{db: db, set: map[string]string{}}, nil
}

func (tx *Tx) Put(k, v string) { tx.set[k] = v }

func (tx *Tx) Commit() error {
	if tx.done {
		return errors.New("kvstore: transaction done")
	}
	tx.done = true
	tx.db.mu.Lock()
	for k, v := range tx.set {
		tx.db.data[k] = v
	}
	tx.db.mu.Unlock()
	tx.db.busy.Done()
	return nil
}

func (tx *Tx) Rollback() error {
	if tx.done {
		return nil
	}
	tx.done = true
	tx.db.busy.Done()
	return nil
}

// Close waits for the open transaction.
func (db *DB) Close() error {
	db.busy.Wait()
	return nil
}
