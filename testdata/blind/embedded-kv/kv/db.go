// Package kv is an embedded key/value store: a copy-on-write B+tree in a
// single file, with one writer and any number of concurrent readers.
package kv

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"sync"
	"sync/atomic"

	"example.com/ekv/internal/cache"
	"example.com/ekv/internal/freelist"
	"example.com/ekv/internal/page"
	"example.com/ekv/internal/pager"
)

// DB is an open database. All methods are safe for concurrent use.
type DB struct {
	path     string
	opts     Options
	logger   *log.Logger
	lockPath string
	pager    *pager.Pager
	cache    *cache.Cache

	// Lock order: rwlock, metalock, readlock.
	rwlock   sync.Mutex   // held by the single open write transaction
	metalock sync.Mutex   // protects meta, freelist hand-over and opened
	readlock sync.RWMutex // held shared by every open read transaction

	meta     page.Meta
	freelist *freelist.Freelist
	opened   bool
	readers  atomic.Int64
	txid     atomic.Uint64

	counters  counters
	statlock  sync.RWMutex
	last      Stats
	history   []Stats
	subs      map[int]func(Stats)
	nextSub   int
	statsStop chan struct{}
	statsDone chan struct{}
	stopOnce  sync.Once
}

// Open opens the database at path, creating it if needed.
func Open(path string, opts *Options) (*DB, error) {
	o := opts.withDefaults()
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if o.ReadOnly {
			return nil, err
		}
		if err := pager.InitFile(path, o.PageSize); err != nil {
			return nil, fmt.Errorf("kv: init %s: %w", path, err)
		}
	} else if err != nil {
		return nil, err
	} else {
		ps, err := pager.Probe(path)
		if err != nil {
			return nil, err
		}
		o.PageSize = ps
	}

	var lockPath string
	if !o.ReadOnly {
		lp, err := acquireLock(path)
		if err != nil {
			return nil, err
		}
		lockPath = lp
	}
	p, err := pager.Open(path, o.PageSize, o.ReadOnly)
	if err != nil {
		releaseLock(lockPath)
		return nil, err
	}

	db := &DB{path: path, opts: o, logger: o.Logger, lockPath: lockPath, pager: p}
	db.cache = cache.New(o.CacheSize, db.loadPage)
	if err := db.load(); err != nil {
		p.Close()
		releaseLock(lockPath)
		return nil, fmt.Errorf("kv: open %s: %w", path, err)
	}
	db.opened = true
	if o.StatsInterval > 0 {
		db.startStats(o.StatsInterval)
	}
	return db, nil
}

func (db *DB) loadPage(id page.ID) ([]byte, error) {
	db.counters.pageReads.Add(1)
	return db.pager.Read(id)
}

// load reads both meta pages, keeps the newest valid one and loads the
// freelist it points to.
func (db *DB) load() error {
	var metas [2]*page.Meta
	var errs []error
	for slot := page.MetaA; slot <= page.MetaB; slot++ {
		buf, err := db.pager.Read(slot)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		m, err := page.DecodeMeta(buf)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		metas[slot] = m
	}
	m := page.Newer(metas[0], metas[1])
	if m == nil {
		return fmt.Errorf("no valid meta page: %w", errors.Join(errs...))
	}
	buf, err := db.pager.Read(m.Freelist)
	if err != nil {
		return err
	}
	fl, err := freelist.Decode(buf)
	if err != nil {
		return err
	}
	db.meta = *m
	db.freelist = fl
	db.txid.Store(m.TxID)
	return nil
}

// Path returns the data file path.
func (db *DB) Path() string { return db.path }

// Close waits for open transactions and closes the file.
func (db *DB) Close() error {
	db.stopStats()

	db.rwlock.Lock()
	defer db.rwlock.Unlock()
	db.metalock.Lock()
	defer db.metalock.Unlock()
	db.readlock.Lock()
	defer db.readlock.Unlock()

	if !db.opened {
		return ErrDatabaseNotOpen
	}
	db.opened = false
	err := db.pager.Close()
	if lerr := releaseLock(db.lockPath); err == nil {
		err = lerr
	}
	return err
}

// Begin starts a transaction. Only one write transaction can be open at a
// time; Begin(true) blocks until the previous writer finishes.
func (db *DB) Begin(writable bool) (*Tx, error) {
	if writable {
		return db.beginRWTx()
	}
	return db.beginTx()
}

func (db *DB) beginTx() (*Tx, error) {
	db.metalock.Lock()
	defer db.metalock.Unlock()
	if !db.opened {
		return nil, ErrDatabaseNotOpen
	}

	// Held until the transaction closes, so Close waits for readers.
	db.readlock.RLock()
	db.readers.Add(1)
	db.counters.txN.Add(1)

	tx := &Tx{db: db, meta: db.meta}
	tx.init()
	return tx, nil
}

func (db *DB) beginRWTx() (*Tx, error) {
	if db.opts.ReadOnly {
		return nil, ErrDatabaseReadOnly
	}

	// Released by Commit or Rollback: this is what makes writers exclusive.
	db.rwlock.Lock()

	db.metalock.Lock()
	defer db.metalock.Unlock()
	if !db.opened {
		db.rwlock.Unlock()
		return nil, ErrDatabaseNotOpen
	}
	// Readers register under metalock, so with none open every pending
	// page is unreachable from any snapshot a reader could still take.
	if db.readers.Load() == 0 {
		db.freelist.Release(db.meta.TxID)
	}
	db.counters.writeTxN.Add(1)

	tx := &Tx{db: db, writable: true, meta: db.meta}
	tx.meta.TxID++
	tx.init()
	return tx, nil
}

// View runs fn in a read transaction.
func (db *DB) View(fn func(*Tx) error) error {
	tx, err := db.Begin(false)
	if err != nil {
		return err
	}
	// Close the transaction even if fn panics.
	defer func() {
		if tx.db != nil {
			tx.rollback()
		}
	}()

	tx.managed = true
	err = fn(tx)
	tx.managed = false
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Rollback()
}

// Update runs fn in a write transaction and commits it when fn returns nil.
func (db *DB) Update(fn func(*Tx) error) error {
	tx, err := db.Begin(true)
	if err != nil {
		return err
	}
	defer func() {
		if tx.db != nil {
			tx.rollback()
		}
	}()

	tx.managed = true
	err = fn(tx)
	tx.managed = false
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Sync forces written pages to disk; useful after NoSync bulk loads.
func (db *DB) Sync() error {
	db.rwlock.Lock()
	defer db.rwlock.Unlock()
	return db.pager.Sync()
}

// Get is a convenience wrapper around View and Tx.Get. The returned value
// is a copy.
func (db *DB) Get(key []byte) ([]byte, error) {
	var out []byte
	err := db.View(func(tx *Tx) error {
		v, err := tx.Get(key)
		if err != nil {
			return err
		}
		out = append([]byte(nil), v...)
		return nil
	})
	return out, err
}

// Put is a convenience wrapper around Update and Tx.Put.
func (db *DB) Put(key, value []byte) error {
	return db.Update(func(tx *Tx) error { return tx.Put(key, value) })
}

func (db *DB) logf(format string, args ...interface{}) {
	if db.logger != nil {
		db.logger.Printf(format, args...)
	}
}

// reportPanic logs a recovered panic value; nil means nothing happened.
func (db *DB) reportPanic(where string, r interface{}) {
	if r != nil {
		db.logf("kv: panic in %s: %v", where, r)
	}
}

// runCommitHandlers calls the OnCommit callbacks of a committed
// transaction. A failing handler must not take the writer down with it.
func (db *DB) runCommitHandlers(handlers []func()) {
	defer db.reportPanic("commit handler", recover()) // HAZ recover-ineffective
	for _, fn := range handlers {
		fn()
	}
}

// protect runs a user callback and turns a panic into an error.
func protect(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrCallbackPanic, r)
		}
	}()
	return fn()
}
