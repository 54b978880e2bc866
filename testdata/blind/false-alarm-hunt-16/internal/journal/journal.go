// Package journal stores the relay's durable key/value metadata behind a
// small transactional interface.
package journal

import (
	"errors"
	"sync"
)

// ErrConflict is returned by Commit when another transaction committed
// first.
var ErrConflict = errors.New("journal: conflicting commit")

var errTxDone = errors.New("journal: transaction already finished")

// Tx is a transaction.
type Tx interface {
	Put(key, val string) error
	Delete(key string) error
	Commit() error
	Rollback() error
}

// DB starts transactions.
type DB interface {
	Begin() (Tx, error)
}

// MemDB is an in-memory DB with optimistic concurrency control.
type MemDB struct {
	mu      sync.Mutex
	data    map[string]string
	version uint64
}

// NewMemDB returns an empty database.
func NewMemDB() *MemDB {
	return &MemDB{data: make(map[string]string)}
}

// Begin starts a transaction based on the current version.
func (db *MemDB) Begin() (Tx, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	return &memTx{db: db, base: db.version, writes: make(map[string]*string)}, nil
}

// Get returns the committed value of key.
func (db *MemDB) Get(key string) (string, bool) {
	db.mu.Lock()
	defer db.mu.Unlock()
	v, ok := db.data[key]
	return v, ok
}

// Import copies kvs into the database one key at a time, so readers are
// never blocked for long. Existing keys are kept. It returns how many keys
// were added.
func (db *MemDB) Import(kvs map[string]string) int {
	n := 0
	for k, v := range kvs {
		func() {
			db.mu.Lock()
			defer db.mu.Unlock()
			if _, exists := db.data[k]; exists {
				return
			}
			db.data[k] = v
			db.version++
			n++
		}()
	}
	return n
}

// DeleteKeys removes keys from the database.
func (db *MemDB) DeleteKeys(keys []string) int {
	n := 0
	for _, k := range keys {
		db.mu.Lock()
		defer db.mu.Unlock() // HAZ defer-in-loop
		if _, ok := db.data[k]; ok {
			delete(db.data, k)
			db.version++
			n++
		}
	}
	return n
}

type memTx struct {
	db     *MemDB
	base   uint64
	writes map[string]*string
	done   bool
}

func (tx *memTx) Put(key, val string) error {
	if tx.done {
		return errTxDone
	}
	tx.writes[key] = &val
	return nil
}

func (tx *memTx) Delete(key string) error {
	if tx.done {
		return errTxDone
	}
	tx.writes[key] = nil
	return nil
}

func (tx *memTx) Commit() error {
	if tx.done {
		return errTxDone
	}
	tx.done = true
	tx.db.mu.Lock()
	defer tx.db.mu.Unlock()
	if tx.db.version != tx.base {
		return ErrConflict
	}
	for k, v := range tx.writes {
		if v == nil {
			delete(tx.db.data, k)
		} else {
			tx.db.data[k] = *v
		}
	}
	tx.db.version++
	return nil
}

func (tx *memTx) Rollback() error {
	if tx.done {
		return nil
	}
	tx.done = true
	tx.writes = nil
	return nil
}
