package lifecycle

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"
)

// Agent is the node agent: it registers with the control plane, runs
// helper processes and writes to the local state database.
type Agent struct {
	db       *sql.DB
	control  string
	client   *http.Client
	mu       sync.Mutex
	cond     *sync.Cond
	busy     int
	active   atomic.Int64
	spans    chan span
	stopOnce sync.Once
	stopped  chan struct{}
}

type span struct {
	name string
	dur  time.Duration
	err  error
}

// NewAgent returns an agent.
func NewAgent(db *sql.DB, control string) *Agent {
	a := &Agent{
		db:      db,
		control: control,
		client:  &http.Client{Timeout: 2 * time.Second},
		spans:   make(chan span, 256),
		stopped: make(chan struct{}),
	}
	a.cond = sync.NewCond(&a.mu)
	return a
}

// SaveState writes one key inside a transaction.
func (a *Agent) SaveState(ctx context.Context, key, val string) error {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // ok: a no-op after Commit, not a query
	if _, err := tx.ExecContext(ctx, `UPDATE state SET val = ? WHERE key = ?`, val, key); err != nil {
		return fmt.Errorf("save %s: %w", key, err)
	}
	return tx.Commit()
}

// LoadState reads every key.
func (a *Agent) LoadState(ctx context.Context) (map[string]string, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT key, val FROM state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close() // ok: plain Close
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// Prepared runs a prepared statement once per key.
func (a *Agent) Prepared(ctx context.Context, keys []string) (int64, error) {
	stmt, err := a.db.PrepareContext(ctx, `DELETE FROM state WHERE key = ?`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	var n int64
	for _, k := range keys {
		res, err := stmt.ExecContext(ctx, k)
		if err != nil {
			return n, err
		}
		c, _ := res.RowsAffected()
		n += c
	}
	return n, nil
}

// Register announces the agent and deregisters on return with a bounded
// request through a client that has a Timeout.
func (a *Agent) Register(ctx context.Context, run func(context.Context) error) error {
	if err := a.post(ctx, "/register"); err != nil {
		return err
	}
	defer func() {
		resp, err := a.client.Post(a.control+"/deregister", "text/plain", nil) // ok: client.Timeout is 2s
		if err != nil {
			log.Printf("deregister: %v", err)
			return
		}
		resp.Body.Close()
	}()
	return run(ctx)
}

func (a *Agent) post(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.control+path, nil)
	if err != nil {
		return err
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s: %s", path, resp.Status)
	}
	return nil
}

// Lease holds a TCP lease on the lock service and releases it with a bounded
// dial when fn is done.
func (a *Agent) Lease(addr string, fn func() error) error {
	defer a.release(addr) // ok: release dials with a timeout and sets a deadline
	return fn()
}

func (a *Agent) release(addr string) {
	conn, err := net.DialTimeout("tcp", addr, 500*time.Millisecond)
	if err != nil {
		log.Printf("release %s: %v", addr, err)
		return
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(500 * time.Millisecond))
	_, _ = conn.Write([]byte("RELEASE\n"))
}

// RunHelper starts a helper process and makes sure it is gone on return.
func (a *Agent) RunHelper(ctx context.Context, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return err
	}
	waited := false
	defer func() {
		if waited {
			return
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait() // ok: after SIGKILL, and WaitDelay bounds the pipe copying
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-a.stopped:
		return errors.New("agent stopped")
	default:
	}
	waited = true
	return cmd.Wait()
}

// Unmount runs fn with dir mounted and unmounts it with a 5s budget.
func (a *Agent) Unmount(dir string, fn func() error) error {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(ctx, "umount", dir).CombinedOutput(); err != nil { // ok: context.WithTimeout in the deferred call
			log.Printf("umount %s: %v: %s", dir, err, out)
		}
	}()
	return fn()
}

// Scratch writes into a temporary file that is removed on return.
func (a *Agent) Scratch(fn func(path string) error) error {
	f, err := os.CreateTemp("", "agent-*")
	if err != nil {
		return err
	}
	name := f.Name()
	defer os.Remove(name) // ok: removes one file, not a tree
	if err := f.Close(); err != nil {
		return err
	}
	return fn(name)
}

// ReadConfig reads a config file opened read-only.
func (a *Agent) ReadConfig(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// Enter marks the agent busy; the deferred exit wakes any waiter.
func (a *Agent) Enter(fn func()) {
	a.mu.Lock()
	a.busy++
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.busy--
		a.mu.Unlock()
		a.cond.Broadcast() // ok: Broadcast never waits
	}()
	a.active.Add(1)
	defer a.active.Add(-1)
	fn()
}

// Trace records a span when fn returns; record uses a non-blocking send.
func (a *Agent) Trace(name string, fn func() error) (err error) {
	start := time.Now()
	defer func() { a.record(span{name: name, dur: time.Since(start), err: err}) }()
	return fn()
}

func (a *Agent) record(s span) {
	select {
	case a.spans <- s:
	default:
	}
}

// Stop signals the agent to stop; safe to call more than once.
func (a *Agent) Stop() {
	a.stopOnce.Do(func() { close(a.stopped) })
}

// Supervise runs fn in a goroutine and, on return, cancels it and waits for
// it to finish: the wait comes after the stop signal.
func (a *Agent) Supervise(ctx context.Context, fn func(context.Context)) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(ctx)
	}()
	defer func() {
		cancel()
		<-done // ok: fn returns once ctx is cancelled
	}()
	select {
	case <-ctx.Done():
	case <-a.stopped:
	}
}

// Flush waits up to d for queued spans to be taken by the exporter.
func (a *Agent) Flush(d time.Duration) {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for len(a.spans) > 0 {
		select {
		case <-deadline.C:
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Report sends a summary to the control plane after the handler has
// written its response.
func (a *Agent) Report(w http.ResponseWriter, r *http.Request) {
	defer a.sendReport(r.URL.Path) // HAZ defer-blocking-call
	w.WriteHeader(http.StatusOK)
}

func (a *Agent) sendReport(path string) {
	resp, err := http.Post(a.control+"/report", "text/plain", bytes.NewReader([]byte(path)))
	if err != nil {
		log.Printf("report: %v", err)
		return
	}
	resp.Body.Close()
}
