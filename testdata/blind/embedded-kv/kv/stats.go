package kv

import (
	"fmt"
	"log"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/ekv/internal/cache"
)

// historyLen is the number of stats samples kept for rate computations.
const historyLen = 60

type counters struct {
	txN         atomic.Int64
	writeTxN    atomic.Int64
	commits     atomic.Int64
	rollbacks   atomic.Int64
	pageReads   atomic.Int64
	pageWrites  atomic.Int64
	commitNanos atomic.Int64
	notified    atomic.Int64
}

// Stats is a sample of the database counters.
type Stats struct {
	Time        time.Time
	TxN         int64
	WriteTxN    int64
	Commits     int64
	Rollbacks   int64
	PageReads   int64
	PageWrites  int64
	CommitTime  time.Duration
	OpenReaders int64
	TxID        uint64
	Cache       cache.Stats
}

// Sub returns the difference s - prev of the cumulative counters.
func (s Stats) Sub(prev Stats) Stats {
	return Stats{
		Time:        s.Time,
		TxN:         s.TxN - prev.TxN,
		WriteTxN:    s.WriteTxN - prev.WriteTxN,
		Commits:     s.Commits - prev.Commits,
		Rollbacks:   s.Rollbacks - prev.Rollbacks,
		PageReads:   s.PageReads - prev.PageReads,
		PageWrites:  s.PageWrites - prev.PageWrites,
		CommitTime:  s.CommitTime - prev.CommitTime,
		OpenReaders: s.OpenReaders,
		TxID:        s.TxID,
		Cache:       s.Cache,
	}
}

// Log writes a one-line summary of s.
func (s Stats) Log(l *log.Logger, what string) {
	if l == nil {
		return
	}
	l.Printf("%s: tx=%d wtx=%d commits=%d rollbacks=%d reads=%d writes=%d cache=%.2f",
		what, s.TxN, s.WriteTxN, s.Commits, s.Rollbacks, s.PageReads, s.PageWrites, s.Cache.HitRatio())
}

// Info describes the database file.
type Info struct {
	Path       string
	PageSize   int
	ReadOnly   bool
	TxID       uint64
	Samples    int
	LastSample time.Time
}

func (db *DB) observeCommit(d time.Duration) {
	db.counters.commitNanos.Add(int64(d))
}

// collect samples the counters. It must not take rwlock, metalock or
// readlock: Close waits for the stats goroutine while holding them.
func (db *DB) collect() Stats {
	c := &db.counters
	return Stats{
		Time:        time.Now(),
		TxN:         c.txN.Load(),
		WriteTxN:    c.writeTxN.Load(),
		Commits:     c.commits.Load(),
		Rollbacks:   c.rollbacks.Load(),
		PageReads:   c.pageReads.Load(),
		PageWrites:  c.pageWrites.Load(),
		CommitTime:  time.Duration(c.commitNanos.Load()),
		OpenReaders: db.readers.Load(),
		TxID:        db.txid.Load(),
		Cache:       db.cache.Stats(),
	}
}

func (db *DB) startStats(interval time.Duration) {
	db.statsStop = make(chan struct{})
	db.statsDone = make(chan struct{})
	go db.statsLoop(interval, db.statsStop, db.statsDone)
}

func (db *DB) statsLoop(interval time.Duration, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			db.record(db.collect())
		case <-stop:
			return
		}
	}
}

func (db *DB) stopStats() {
	db.stopOnce.Do(func() {
		if db.statsStop == nil {
			return
		}
		close(db.statsStop)
		<-db.statsDone
	})
}

// record stores a sample and hands it to the subscribers.
func (db *DB) record(s Stats) {
	db.statlock.Lock()
	db.last = s
	db.history = append(db.history, s)
	if len(db.history) > historyLen {
		db.history = db.history[len(db.history)-historyLen:]
	}
	subs := make(map[int]func(Stats), len(db.subs))
	for id, fn := range db.subs {
		subs[id] = fn
	}
	db.statlock.Unlock()

	db.publish(subs, s)
}

// publish delivers s to every subscriber concurrently, so one slow
// subscriber does not delay the others.
func (db *DB) publish(subs map[int]func(Stats), s Stats) {
	var wg sync.WaitGroup
	sent := 0
	for _, fn := range subs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			db.notify(fn, s)
		}()
		sent++
	}
	wg.Wait()
	db.counters.notified.Add(int64(sent))
}

// notify calls one subscriber; a broken subscriber must not kill the
// stats goroutine.
func (db *DB) notify(fn func(Stats), s Stats) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	fn(s)
}

// Subscribe registers fn to receive every stats sample. Subscribers must
// not call back into the database. The returned func unsubscribes.
func (db *DB) Subscribe(fn func(Stats)) (cancel func()) {
	db.statlock.Lock()
	defer db.statlock.Unlock()
	if db.subs == nil {
		db.subs = make(map[int]func(Stats))
	}
	id := db.nextSub
	db.nextSub++
	db.subs[id] = fn
	return func() {
		db.statlock.Lock()
		delete(db.subs, id)
		db.statlock.Unlock()
	}
}

// Stats returns the latest sample, or a fresh one when the collector is
// disabled or has not run yet.
func (db *DB) Stats() Stats {
	db.statlock.RLock()
	defer db.statlock.RUnlock()
	if db.last.Time.IsZero() {
		return db.collect()
	}
	return db.last
}

// History returns a copy of the retained samples, oldest first.
func (db *DB) History() []Stats {
	db.statlock.RLock()
	defer db.statlock.RUnlock()
	return append([]Stats(nil), db.history...)
}

// StatsSummary renders the latest sample and the rates over the retained
// history, for the STATS command and kvcli.
func (db *DB) StatsSummary() string {
	db.statlock.RLock()
	defer db.statlock.RUnlock()

	var b strings.Builder
	cur := db.Stats() // HAZ lock-reentry-under-defer
	fmt.Fprintf(&b, "txid:%d readers:%d commits:%d rollbacks:%d\n",
		cur.TxID, cur.OpenReaders, cur.Commits, cur.Rollbacks)
	fmt.Fprintf(&b, "cache_hit_ratio:%.3f cache_pages:%d/%d\n",
		cur.Cache.HitRatio(), cur.Cache.Size, cur.Cache.Capacity)
	if n := len(db.history); n >= 2 {
		d := db.history[n-1].Sub(db.history[0])
		secs := d.Time.Sub(db.history[0].Time).Seconds()
		if secs > 0 {
			fmt.Fprintf(&b, "commits_per_sec:%.1f page_writes_per_sec:%.1f\n",
				float64(d.Commits)/secs, float64(d.PageWrites)/secs)
		}
	}
	return b.String()
}

// Info returns static facts about the database and the stats collector.
func (db *DB) Info() Info {
	db.statlock.RLock()
	defer db.statlock.Unlock() // HAZ defer-lock-mismatch
	return Info{
		Path:       db.path,
		PageSize:   db.opts.PageSize,
		ReadOnly:   db.opts.ReadOnly,
		TxID:       db.txid.Load(),
		Samples:    len(db.history),
		LastSample: db.last.Time,
	}
}
