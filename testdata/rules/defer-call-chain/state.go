package callchain

import (
	"log"
	"net"
	"sync/atomic"
)

type counters struct{ n map[string]int }

type snapshot struct{ n map[string]int }

func (c *counters) Snapshot() snapshot {
	m := make(map[string]int, len(c.n))
	for k, v := range c.n {
		m[k] = v
	}
	return snapshot{m}
}

func (s snapshot) Publish(l *log.Logger) { l.Println(s.n) }

type reconciler struct {
	counters *counters
	log      *log.Logger
	addr     string
	conn     net.Conn
}

// The snapshot is taken at the defer statement, before the loop counts anything.
func (r *reconciler) reconcile(ids []string) {
	defer r.counters.Snapshot().Publish(r.log) // want `in defer r\.counters\.Snapshot\(\)\.Publish\(r\.log\), r\.counters\.Snapshot\(\) runs now, at the defer statement, and only Publish waits until reconciler\.reconcile returns`
	for _, id := range ids {
		r.counters.n[id]++
	}
}

func (r *reconciler) currentConn() net.Conn { return r.conn }

// The accessor reads r.conn now; the function replaces it afterwards, so the old conn is closed.
func (r *reconciler) reconnect() error {
	defer r.currentConn().Close() // want `in defer r\.currentConn\(\)\.Close\(\), r\.currentConn\(\) runs now, at the defer statement, and reads r\.conn, which reconciler\.reconnect assigns afterwards \(line \d+\)`
	conn, err := net.Dial("tcp", r.addr)
	if err != nil {
		return err
	}
	r.conn = conn
	return nil
}

// The accessor's field is not touched afterwards: no finding.
func (r *reconciler) closeCurrent() {
	defer r.currentConn().Close()
	r.addr = ""
}

type state struct{ v int }

func captureState() state     { return state{} }
func (state) Restore()        {}
func (s *state) Save() *state { return s }
func (*state) Load()          {}

// Capture now, restore at exit: the idiom, no finding.
func withCapturedState(s *state) {
	defer captureState().Restore()
	defer s.Save().Load()
	s.v++
}

type bucket struct{ n int }

func (b *bucket) Close() {}

type window struct {
	cur atomic.Pointer[bucket]
}

func (w *window) Current() *bucket { return w.cur.Load() }

func (w *window) Advance() { w.cur.Store(&bucket{}) }

// Advance moves w.cur on after the defer: the deferred Close closes the first bucket.
func (w *window) ingest(vals []int, per int) {
	defer w.Current().Close() // want `in defer w\.Current\(\)\.Close\(\), w\.Current\(\) runs now, at the defer statement, and reads w\.cur, which window\.ingest changes afterwards through w\.Advance\(\) \(line \d+\)`
	for i := range vals {
		if i > 0 && i%per == 0 {
			w.Advance()
		}
	}
}

type stats struct{ timers []*timer }

type timer struct{ tag string }

func (t *timer) Egress() {}

// NewTimer records a timer and returns it.
func (s *stats) NewTimer(tag string) *timer {
	t := &timer{tag: tag}
	s.timers = append(s.timers, t)
	return t
}

// A begin call whose end is deferred: later timers do not change this one. No finding.
func (s *stats) measure(n int) {
	defer s.NewTimer("outer").Egress()
	for i := 0; i < n; i++ {
		s.NewTimer("inner").Egress()
	}
}

type progress struct{ done int }

func (p progress) Report(l *log.Logger) { l.Println(p.done) }

type upload struct{ parts int }

func (u *upload) Progress() progress { return progress{done: u.parts} }

// The progress is read at the defer statement, before any part is uploaded.
func (u *upload) uploadAll(parts []int, l *log.Logger) {
	defer u.Progress().Report(l) // want `in defer u\.Progress\(\)\.Report\(l\), u\.Progress\(\) runs now, at the defer statement`
	for range parts {
		u.parts++
	}
}

type cursorStore struct{ saved map[string]int64 }

type cursor struct {
	last  int64
	store *cursorStore
}

func (c cursor) Save(name string) { c.store.saved[name] = c.last }

type relay struct {
	pos   int64
	store *cursorStore
}

func (r *relay) cursorSnapshot() cursor { return cursor{last: r.pos, store: r.store} }

// The snapshot is taken at the defer statement, before the loop moves the position on: the
// checkpoint saved at exit is the starting one.
func (r *relay) catchup(ids []int64) {
	defer r.cursorSnapshot().Save("relay") // want `in defer r\.cursorSnapshot\(\)\.Save\("relay"\), r\.cursorSnapshot\(\) runs now`
	for _, id := range ids {
		r.pos = id
	}
}

type batch struct{ ops []string }

func (b *batch) Commit() {}

type batchStore struct {
	log  []string
	main *batch
}

// Batch starts a new batch.
func (s *batchStore) Batch() *batch { return &batch{} }

// Current is the store's long-lived batch: the same value on every call.
func (s *batchStore) Current() *batch { return s.main }

// The chain makes a second batch and commits that one; b is never committed.
func (s *batchStore) rename(keys []string) {
	b := s.Batch()
	defer s.Batch().Commit() // want `in defer s\.Batch\(\)\.Commit\(\), s\.Batch\(\) runs now and returns a second value, not the b that batchStore\.rename got from the same call on line \d+`
	b.ops = append(b.ops, keys...)
}

// An accessor gives the same batch twice: nothing to report.
func (s *batchStore) touch(keys []string) {
	b := s.Current()
	defer s.Current().Commit()
	b.ops = append(b.ops, keys...)
}
