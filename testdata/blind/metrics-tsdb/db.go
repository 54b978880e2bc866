// Package tsdb ties the head block, the write-ahead log, the persistent
// blocks, compaction and retention together into one database.
package tsdb

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"example.com/tsdb/block"
	"example.com/tsdb/compact"
	"example.com/tsdb/head"
	"example.com/tsdb/internal/fileutil"
	"example.com/tsdb/model"
	"example.com/tsdb/query"
	"example.com/tsdb/retention"
	"example.com/tsdb/wal"
)

// Options configure a DB.
type Options struct {
	BlockRange     int64 // milliseconds covered by a head block
	Retention      retention.Policy
	WALSegmentSize int64
	QueryTimeout   time.Duration
	StripeSize     int
	Logger         *log.Logger
}

// DB is a time-series database in one directory.
type DB struct {
	dir    string
	opts   Options
	logger *log.Logger
	lock   *fileutil.Lock

	head      *head.Head
	wal       *wal.WAL
	engine    *query.Engine
	compactor *compact.Compactor
	cleaner   *retention.Cleaner

	mu     sync.Mutex // guards blocks and reloads
	blocks []*block.Block

	cancel   context.CancelFunc
	wg       sync.WaitGroup
	compactc chan struct{}
	bufPool  sync.Pool
}

// Open opens or creates a database in dir, replaying the WAL into the head.
func Open(dir string, opts Options) (db *DB, err error) {
	if opts.BlockRange <= 0 {
		opts.BlockRange = 2 * 3600 * 1000
	}
	if opts.QueryTimeout <= 0 {
		opts.QueryTimeout = 30 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = log.New(os.Stderr, "tsdb: ", log.LstdFlags)
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	lock, err := fileutil.LockDir(dir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			lock.Release()
		}
	}()

	h := head.New(head.Options{StripeSize: opts.StripeSize})
	walDir := filepath.Join(dir, "wal")
	if err := replayWAL(walDir, h, opts.Logger); err != nil {
		return nil, err
	}
	w, err := wal.Open(walDir, opts.WALSegmentSize, opts.Logger)
	if err != nil {
		return nil, err
	}
	db = &DB{
		dir:       dir,
		opts:      opts,
		logger:    opts.Logger,
		lock:      lock,
		head:      h,
		wal:       w,
		engine:    query.NewEngine(h, opts.Logger, opts.QueryTimeout),
		compactor: compact.New(dir, nil, opts.Logger),
		compactc:  make(chan struct{}, 1),
	}
	db.cleaner = retention.New(dir, opts.Retention, opts.Logger, db.forgetBlock)
	if err := db.reloadBlocks(); err != nil {
		w.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	db.cancel = cancel
	db.wg.Add(2)
	go db.compactLoop(ctx)
	go func() {
		defer db.wg.Done()
		db.cleaner.Run(ctx, time.Hour)
	}()
	return db, nil
}

// replayWAL loads the checkpoint and the WAL segments into h, repairing a
// corrupted tail if needed.
func replayWAL(walDir string, h *head.Head, logger *log.Logger) error {
	if err := os.MkdirAll(walDir, 0o777); err != nil {
		return err
	}
	apply := func(rec []byte) error {
		lset, t, v, err := decodeSample(rec)
		if err != nil {
			return err
		}
		if err := h.AppendReplayed(lset, t, v); err != nil && !errors.Is(err, head.ErrOutOfOrder) {
			return err
		}
		return nil
	}
	if _, err := wal.ReplayCheckpoint(walDir, apply); err != nil {
		return err
	}
	err := wal.Replay(walDir, apply)
	var cerr *wal.CorruptionErr
	if errors.As(err, &cerr) {
		logger.Printf("%v; truncating the WAL there", cerr)
		err = wal.Repair(walDir, cerr)
	}
	if err != nil {
		return err
	}
	h.ReplayDone()
	return nil
}

// Dir returns the data directory.
func (db *DB) Dir() string { return db.dir }

// Head returns the head block.
func (db *DB) Head() *head.Head { return db.head }

// Engine returns the query engine.
func (db *DB) Engine() *query.Engine { return db.engine }

// Append logs a sample to the WAL and adds it to the head.
func (db *DB) Append(lset model.Labels, t int64, v float64) error {
	if t < db.head.MinValid() {
		return head.ErrOutOfBounds
	}
	buf, _ := db.bufPool.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	*buf = encodeSample((*buf)[:0], lset, t, v)
	err := db.wal.Log(*buf)
	db.bufPool.Put(buf)
	if err != nil {
		return err
	}
	if _, err := db.head.Append(lset, t, v); err != nil {
		return err
	}
	if db.head.MaxTime()-db.head.MinTime() > db.opts.BlockRange*3/2 {
		select {
		case db.compactc <- struct{}{}:
		default:
		}
	}
	return nil
}

// reloadBlocks opens the block directories and swaps them into the engine.
func (db *DB) reloadBlocks() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	entries, err := os.ReadDir(db.dir)
	if err != nil {
		return err
	}
	open := make(map[string]*block.Block, len(db.blocks))
	for _, b := range db.blocks {
		open[b.Meta().ULID] = b
	}
	var bs []*block.Block
	for _, e := range entries {
		if !e.IsDir() || !block.IsULID(e.Name()) {
			continue
		}
		if b, ok := open[e.Name()]; ok {
			bs = append(bs, b)
			delete(open, e.Name())
			continue
		}
		b, err := block.Open(filepath.Join(db.dir, e.Name()))
		if err != nil {
			db.logger.Printf("skipping block %s: %v", e.Name(), err)
			continue
		}
		bs = append(bs, b)
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].Meta().MinTime < bs[j].Meta().MinTime })
	db.blocks = bs
	db.engine.SetBlocks(bs)
	for _, b := range open {
		b.Close()
	}
	return nil
}

// forgetBlock is called by retention before a block directory is deleted.
func (db *DB) forgetBlock(ulid string) {
	db.mu.Lock()
	defer db.mu.Unlock()
	kept := db.blocks[:0]
	for _, b := range db.blocks {
		if b.Meta().ULID == ulid {
			b.Close()
			continue
		}
		kept = append(kept, b)
	}
	db.blocks = kept
	db.engine.SetBlocks(kept)
}

func (db *DB) compactLoop(ctx context.Context) {
	defer db.wg.Done()
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-db.compactc:
		}
		func() {
			// tsdbtool repair takes the same lock before touching blocks.
			lock, err := fileutil.Acquire(filepath.Join(db.dir, "compact.lock"))
			if err != nil {
				db.logger.Printf("compaction skipped: %v", err)
				return
			}
			defer lock.Release()
			if err := db.compactHead(); err != nil {
				db.logger.Printf("compact head: %v", err)
			}
			if err := db.compactBlocks(); err != nil {
				db.logger.Printf("compact blocks: %v", err)
			}
		}()
	}
}

// compactHead persists the oldest block range of the head once the head
// spans more than 1.5 ranges, then truncates the head and the WAL.
func (db *DB) compactHead() error {
	mint, maxt := db.head.MinTime(), db.head.MaxTime()
	if maxt-mint <= db.opts.BlockRange*3/2 {
		return nil
	}
	start := mint - mint%db.opts.BlockRange
	end := start + db.opts.BlockRange
	series := db.head.Snapshot(start, end)
	if len(series) > 0 {
		if _, err := block.Write(db.dir, block.Meta{MinTime: start, MaxTime: end}, series); err != nil {
			return err
		}
		if err := db.reloadBlocks(); err != nil {
			return err
		}
	}
	if _, err := db.head.Truncate(end); err != nil {
		return err
	}
	return db.truncateWAL(end)
}

// truncateWAL checkpoints the samples at or after mint and deletes the old segments.
func (db *DB) truncateWAL(mint int64) error {
	first, last, err := db.wal.Segments()
	if err != nil {
		return err
	}
	if last <= first {
		return nil
	}
	keep := func(rec []byte) bool {
		_, t, _, err := decodeSample(rec)
		return err == nil && t >= mint
	}
	if _, err := wal.Checkpoint(db.wal.Dir(), first, last-1, keep); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return db.wal.Truncate(last)
}

// compactBlocks runs one round of block compaction and reloads.
func (db *DB) compactBlocks() error {
	bs := db.engine.Blocks()
	metas := make([]block.Meta, 0, len(bs))
	for _, b := range bs {
		metas = append(metas, b.Meta())
	}
	defer db.logger.Printf("compaction round over %d blocks finished", len(metas))
	created, err := db.compactor.RunOnce(metas)
	if err != nil || len(created) == 0 {
		return err
	}
	return db.reloadBlocks()
}

// Close stops the background loops and closes everything, releasing the lock last.
func (db *DB) Close() error {
	db.cancel()
	db.wg.Wait()
	errs := []error{db.wal.Close(), db.head.Close()}
	db.mu.Lock()
	for _, b := range db.blocks {
		errs = append(errs, b.Close())
	}
	db.blocks = nil
	db.mu.Unlock()
	errs = append(errs, db.lock.Release())
	return errors.Join(errs...)
}
