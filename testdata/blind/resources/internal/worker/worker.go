// Package worker holds long-running consumers: file workers, audit event
// consumers, line servers and periodic reporters.
package worker

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Task is a unit of work for FileWorker.
type Task struct {
	ID   string
	Path string
}

// FileWorker copies task files into an output stream.
type FileWorker struct {
	tasks <-chan Task
	out   io.Writer
	log   *log.Logger
}

// NewFileWorker builds a worker.
func NewFileWorker(tasks <-chan Task, out io.Writer, logger *log.Logger) *FileWorker {
	return &FileWorker{tasks: tasks, out: out, log: logger}
}

func (w *FileWorker) process(ctx context.Context, t Task) error {
	f, err := os.Open(t.Path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only, not in a loop
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = io.Copy(w.out, f)
	return err
}

// Run processes tasks forever; the deferred closes never run and the number
// of open descriptors grows with every task.
func (w *FileWorker) Run() {
	for {
		t := <-w.tasks
		f, err := os.Open(t.Path)
		if err != nil {
			w.log.Printf("task %s: %v", t.ID, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if _, err := io.Copy(w.out, f); err != nil {
			w.log.Printf("task %s: copy: %v", t.ID, err)
		}
	}
}

// RunScoped is the fixed form: one function literal per task.
func (w *FileWorker) RunScoped() {
	for {
		t := <-w.tasks
		func() {
			f, err := os.Open(t.Path)
			if err != nil {
				w.log.Printf("task %s: %v", t.ID, err)
				return
			}
			defer f.Close() // ok: closure scope
			if _, err := io.Copy(w.out, f); err != nil {
				w.log.Printf("task %s: copy: %v", t.ID, err)
			}
		}()
	}
}

// RunWithHeartbeat gives each task a timeout. The `break` only leaves the
// select, never the for loop, so every cancel func is retained forever.
func (w *FileWorker) RunWithHeartbeat(hb <-chan time.Time) {
	for {
		select {
		case t := <-w.tasks:
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel() // HAZ defer-in-infinite-loop
			if err := w.process(ctx, t); err != nil {
				w.log.Printf("task %s: %v", t.ID, err)
				break
			}
			w.log.Printf("task %s done", t.ID)
		case <-hb:
			w.log.Printf("worker alive")
		}
	}
}

// RunWithTimeouts cancels each per-task context explicitly.
func (w *FileWorker) RunWithTimeouts() {
	for t := range w.tasks {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := w.process(ctx, t)
		cancel() // ok: called, not deferred
		if err != nil {
			w.log.Printf("task %s: %v", t.ID, err)
		}
	}
}

// dirLock is an advisory lock implemented with an O_EXCL lock file.
type dirLock struct {
	path string
}

func acquireDirLock(dir string) (*dirLock, error) {
	p := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(p, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return &dirLock{path: p}, nil
}

// Release removes the lock file.
func (l *dirLock) Release() error { return os.Remove(l.path) }

// RunBatches takes a directory lock per batch. The labelled break only
// leaves the inner scan loop, so the lock of the first batch is never
// released and later batches can never lock again.
func (w *FileWorker) RunBatches(dir string, batches <-chan []Task) {
	for {
		batch := <-batches
		lock, err := acquireDirLock(dir)
		if err != nil {
			w.log.Printf("lock %s: %v", dir, err)
			continue
		}
		defer lock.Release() // HAZ defer-in-infinite-loop
	scan:
		for _, t := range batch {
			if t.Path == "" {
				break scan
			}
			if err := w.process(context.Background(), t); err != nil {
				w.log.Printf("task %s: %v", t.ID, err)
			}
		}
	}
}

// RunBatchesScoped holds the lock for exactly one batch.
func (w *FileWorker) RunBatchesScoped(ctx context.Context, dir string, batches <-chan []Task) error {
	for {
		var batch []Task
		select {
		case <-ctx.Done():
			return ctx.Err()
		case batch = <-batches:
		}
		if err := w.runBatch(ctx, dir, batch); err != nil {
			w.log.Printf("batch: %v", err)
		}
	}
}

func (w *FileWorker) runBatch(ctx context.Context, dir string, batch []Task) error {
	lock, err := acquireDirLock(dir)
	if err != nil {
		return err
	}
	defer lock.Release() // ok: one lock per call
	for _, t := range batch {
		if err := w.process(ctx, t); err != nil {
			return fmt.Errorf("task %s: %w", t.ID, err)
		}
	}
	return nil
}

// AuditEvent is persisted by AuditConsumer.
type AuditEvent struct {
	Actor  string
	Action string
}

// AuditConsumer stores audit events from a channel.
type AuditConsumer struct {
	db     *sql.DB
	events chan AuditEvent
	log    *log.Logger
}

// Consume ranges over the event channel; nothing leaves the loop, so each
// transaction's Rollback is queued and its connection stays checked out.
func (c *AuditConsumer) Consume(ctx context.Context) {
	for ev := range c.events {
		tx, err := c.db.BeginTx(ctx, nil)
		if err != nil {
			c.log.Printf("audit: begin: %v", err)
			continue
		}
		defer tx.Rollback() // HAZ defer-in-infinite-loop
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit(actor, action) VALUES ($1, $2)`, ev.Actor, ev.Action); err != nil {
			c.log.Printf("audit: insert: %v", err)
			continue
		}
		if err := tx.Commit(); err != nil {
			c.log.Printf("audit: commit: %v", err)
		}
	}
}

// ConsumeWithFilter: the `return` statements belong to the function literal,
// not to the range loop, so the loop still never exits early.
func (c *AuditConsumer) ConsumeWithFilter(ctx context.Context) {
	for ev := range c.events {
		interesting := func() bool {
			if ev.Action == "noop" {
				return false
			}
			return ev.Actor != ""
		}
		if !interesting() {
			continue
		}
		conn, err := c.db.Conn(ctx)
		if err != nil {
			c.log.Printf("audit: conn: %v", err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if _, err := conn.ExecContext(ctx, `INSERT INTO audit(actor, action) VALUES ($1, $2)`, ev.Actor, ev.Action); err != nil {
			c.log.Printf("audit: insert: %v", err)
		}
	}
}

// store persists a single event in its own transaction.
func (c *AuditConsumer) store(ctx context.Context, ev AuditEvent) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // ok: no-op after Commit
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit(actor, action) VALUES ($1, $2)`, ev.Actor, ev.Action); err != nil {
		return err
	}
	return tx.Commit()
}

// Start runs the consumer in a goroutine; its only defer is registered
// before the range loop.
func (c *AuditConsumer) Start(ctx context.Context, wg *sync.WaitGroup) {
	wg.Add(1)
	go func() {
		defer wg.Done() // ok: before the loop, runs when the channel is closed
		for ev := range c.events {
			if err := c.store(ctx, ev); err != nil {
				c.log.Printf("audit: %v", err)
			}
		}
	}()
}

// Tail polls for new events forever. The `break` in the switch only leaves
// the switch.
func (c *AuditConsumer) Tail(ctx context.Context, every time.Duration, quiet bool) {
	var lastID int64
	for true {
		rows, err := c.db.QueryContext(ctx, `SELECT id FROM audit WHERE id > $1 ORDER BY id`, lastID)
		if err != nil {
			c.log.Printf("tail: %v", err)
			time.Sleep(every)
			continue
		}
		defer rows.Close() // HAZ defer-in-infinite-loop
		n := 0
		for rows.Next() {
			if err := rows.Scan(&lastID); err != nil {
				c.log.Printf("tail: scan: %v", err)
			}
			n++
		}
		switch n {
		case 0:
			if quiet {
				break
			}
			c.log.Printf("tail: no new events")
		default:
			c.log.Printf("tail: %d new events", n)
		}
		time.Sleep(every)
	}
}

// LineServer serves a line protocol over TCP.
type LineServer struct {
	ln     net.Listener
	handle func(net.Conn) error
	log    *log.Logger
}

// Serve accepts connections forever and serves them one by one; the
// deferred Close never runs, so every client socket stays open.
func (s *LineServer) Serve() {
	for true {
		conn, err := s.ln.Accept()
		if err != nil {
			s.log.Printf("accept: %v", err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if err := s.handle(conn); err != nil {
			s.log.Printf("conn %s: %v", conn.RemoteAddr(), err)
		}
	}
}

// ServeConcurrent hands each connection to a goroutine that owns the defer.
func (s *LineServer) ServeConcurrent() error {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			s.log.Printf("accept: %v", err)
			continue
		}
		go func() {
			defer conn.Close() // ok: in the goroutine's function
			if err := s.handle(conn); err != nil {
				s.log.Printf("conn %s: %v", conn.RemoteAddr(), err)
			}
		}()
	}
}

// ServeSequential declares the per-connection handler as a literal outside
// the loop; the defer lives in the literal.
func (s *LineServer) ServeSequential() {
	serveOne := func(conn net.Conn) {
		defer conn.Close() // ok: the literal has no loop
		if err := s.handle(conn); err != nil {
			s.log.Printf("conn %s: %v", conn.RemoteAddr(), err)
		}
	}
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			s.log.Printf("accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		serveOne(conn)
	}
}

// StartJanitor launches a goroutine that lists a spool directory forever;
// the loop lives in the goroutine literal and never ends.
func (s *LineServer) StartJanitor(dir string, every time.Duration) {
	go func() {
		for {
			time.Sleep(every)
			d, err := os.Open(dir)
			if err != nil {
				s.log.Printf("janitor: %v", err)
				continue
			}
			defer d.Close() // HAZ defer-in-infinite-loop
			names, err := d.Readdirnames(-1)
			if err != nil {
				s.log.Printf("janitor: %v", err)
				continue
			}
			s.log.Printf("janitor: %d spooled files", len(names))
		}
	}()
}

// StartJanitorScoped lists the directory through a helper.
func (s *LineServer) StartJanitorScoped(ctx context.Context, dir string, every time.Duration) {
	go func() {
		ticker := time.NewTicker(every)
		defer ticker.Stop() // ok: before the loop
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				n, err := countEntries(dir)
				if err != nil {
					s.log.Printf("janitor: %v", err)
					continue
				}
				s.log.Printf("janitor: %d spooled files", n)
			}
		}
	}()
}

func countEntries(dir string) (int, error) {
	d, err := os.Open(dir)
	if err != nil {
		return 0, err
	}
	defer d.Close() // ok: read-only directory handle
	names, err := d.Readdirnames(-1)
	return len(names), err
}

// SnapshotReporter periodically streams the current snapshot.
type SnapshotReporter struct {
	dir      string
	interval time.Duration
	sink     io.Writer
}

// Loop ranges over a ticker channel, which is never closed.
func (r *SnapshotReporter) Loop() {
	ticker := time.NewTicker(r.interval)
	defer ticker.Stop() // ok itself: registered once, before the loop
	for range ticker.C {
		f, err := os.Open(filepath.Join(r.dir, "current.snap"))
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if _, err := io.Copy(r.sink, f); err != nil {
			continue
		}
	}
}

// LoopCtx is the correct variant: the loop returns on cancellation and each
// report is done by a helper.
func (r *SnapshotReporter) LoopCtx(ctx context.Context) error {
	ticker := time.NewTicker(r.interval)
	defer ticker.Stop() // ok: before the loop
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
			if err := r.reportOnce(); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
}

func (r *SnapshotReporter) reportOnce() error {
	f, err := os.Open(filepath.Join(r.dir, "current.snap"))
	if err != nil {
		return err
	}
	defer f.Close() // ok: single file per call
	_, err = io.Copy(r.sink, f)
	return err
}

// Semaphore is a non-blocking counting semaphore.
type Semaphore struct {
	max  int64
	used atomic.Int64
}

// ErrBusy is returned by TryAcquire when all slots are taken.
var ErrBusy = errors.New("semaphore: busy")

// TryAcquire takes a slot or fails immediately.
func (s *Semaphore) TryAcquire() error {
	if s.used.Add(1) > s.max {
		s.used.Add(-1)
		return ErrBusy
	}
	return nil
}

// Release gives a slot back.
func (s *Semaphore) Release() { s.used.Add(-1) }

// Forward sends every value under a semaphore slot. Ranging over the input
// channel with no exit, the slots are never given back: after max values
// every TryAcquire fails.
func Forward[T any](in <-chan T, sem *Semaphore, send func(T) error, logf func(string, ...any)) {
	for v := range in {
		if err := sem.TryAcquire(); err != nil {
			logf("forward: dropped value: %v", err)
			continue
		}
		defer sem.Release() // HAZ defer-in-infinite-loop
		if err := send(v); err != nil {
			logf("forward: %v", err)
		}
	}
}

// ForwardScoped releases the slot at the end of every iteration.
func ForwardScoped[T any](in <-chan T, sem *Semaphore, send func(T) error, logf func(string, ...any)) {
	for v := range in {
		func() {
			if err := sem.TryAcquire(); err != nil {
				logf("forward: dropped value: %v", err)
				return
			}
			defer sem.Release() // ok: closure scope
			if err := send(v); err != nil {
				logf("forward: %v", err)
			}
		}()
	}
}

// RunUntilIdle looks like an endless worker but returns after an idle
// period, so the loop is finite; the deferred closes still pile up until
// then.
func (w *FileWorker) RunUntilIdle(idle time.Duration) {
	for {
		var t Task
		select {
		case t = <-w.tasks:
		case <-time.After(idle):
			w.log.Printf("idle for %s, stopping", idle)
			return
		}
		f, err := os.Open(t.Path)
		if err != nil {
			w.log.Printf("task %s: %v", t.ID, err)
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := io.Copy(w.out, f); err != nil {
			w.log.Printf("task %s: copy: %v", t.ID, err)
		}
	}
}

// DrainTasks leaves its loop through a labelled break once the channel is
// closed, so the loop ends; the per-task cancel funcs are still retained
// until DrainTasks returns.
func (w *FileWorker) DrainTasks(stop <-chan struct{}) int {
	n := 0
loop:
	for {
		select {
		case <-stop:
			break loop
		case t, ok := <-w.tasks:
			if !ok {
				break loop
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel() // HAZ defer-in-loop
			if err := w.process(ctx, t); err != nil {
				w.log.Printf("task %s: %v", t.ID, err)
				continue
			}
			n++
		}
	}
	w.log.Printf("drained %d tasks", n)
	return n
}
