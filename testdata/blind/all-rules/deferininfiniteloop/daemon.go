// Package daemon holds the long-running loops of the sync agent.
package daemon

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// Job is one unit of work read from the queue.
type Job struct {
	Path string
	Kind string
}

// Update is an index mutation.
type Update struct {
	Key     string
	Value   string
	Deleted bool
}

// Message is relayed to another node.
type Message struct {
	Dest    string
	Payload []byte
}

// Server accepts agent connections.
type Server struct {
	log          *log.Logger
	janitorEvery time.Duration
}

// Worker processes queued files.
type Worker struct {
	log *log.Logger
}

// Poller polls an upstream endpoint.
type Poller struct {
	client   *http.Client
	url      string
	timeout  time.Duration
	interval time.Duration
}

// HealthReporter posts health reports on every tick.
type HealthReporter struct {
	client *http.Client
	url    string
}

// Compactor compacts finished log segments.
type Compactor struct {
	idle time.Duration
}

// Relay forwards messages to peers.
type Relay struct{}

// Indexer applies updates to the database index.
type Indexer struct {
	db *sql.DB
}

// Retrier keeps a connection to an upstream.
type Retrier struct{}

func (s *Server) handle(c net.Conn)     { _, _ = io.Copy(io.Discard, c); c.Close() }
func (s *Server) handleSync(c net.Conn) { _, _ = io.Copy(io.Discard, c) }

func (w *Worker) process(j Job, r io.Reader) {
	if _, err := io.Copy(io.Discard, r); err != nil {
		w.log.Printf("job %s: %v", j.Path, err)
	}
}

func (p *Poller) fetch(ctx context.Context) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func (c *Compactor) compact(r io.Reader) { _, _ = io.Copy(io.Discard, r) }

func (r *Relay) forward(c net.Conn, m Message) { _, _ = c.Write(m.Payload) }

func (r *Retrier) serve(c net.Conn) { _, _ = io.Copy(io.Discard, c) }

func backoff(attempt int) time.Duration {
	if attempt > 6 {
		attempt = 6
	}
	return time.Duration(1<<attempt) * 100 * time.Millisecond
}

// acceptLoop never returns; every accepted connection adds a deferred close.
func (s *Server) acceptLoop(ln net.Listener) {
	for { // HAZ defer-in-loop
		conn, err := ln.Accept()
		if err != nil {
			s.log.Printf("accept: %v", err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		go s.handle(conn)
	}
}

// Run consumes the job queue for the life of the process.
func (w *Worker) Run(jobs <-chan Job) {
	for job := range jobs { // HAZ defer-in-loop
		f, err := os.Open(job.Path)
		if err != nil {
			w.log.Printf("open %s: %v", job.Path, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		w.process(job, f)
	}
}

func (p *Poller) pollForever(ctx context.Context) {
	for true { // HAZ defer-in-loop
		reqCtx, cancel := context.WithTimeout(ctx, p.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		p.fetch(reqCtx)
		time.Sleep(p.interval)
	}
}

// Report posts one health report per tick, forever.
func (h *HealthReporter) Report(t *time.Ticker, payload []byte) {
	for range t.C { // HAZ defer-in-loop
		resp, err := h.client.Post(h.url, "application/json", bytes.NewReader(payload))
		if err != nil {
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		if resp.StatusCode >= 500 {
			log.Printf("health endpoint returned %s", resp.Status)
		}
	}
}

func (c *Compactor) loop(segments func() []string) {
	for { // HAZ defer-in-loop
		var picked string
		for _, s := range segments() {
			if strings.HasSuffix(s, ".log") {
				picked = s
				break // leaves only the inner range loop
			}
		}
		if picked == "" {
			time.Sleep(c.idle)
			continue
		}
		f, err := os.Open(picked)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		c.compact(f)
	}
}

func (r *Relay) pump(ctx context.Context, msgs <-chan Message) {
	for { // HAZ defer-in-loop
		select {
		case <-ctx.Done():
			break // leaves the select, not the loop
		case m := <-msgs:
			conn, err := net.Dial("tcp", m.Dest)
			if err != nil {
				continue
			}
			defer conn.Close() // HAZ defer-in-infinite-loop
			r.forward(conn, m)
		}
	}
}

func (ix *Indexer) consume(ctx context.Context, updates <-chan Update) {
loop:
	for u := range updates { // HAZ defer-in-loop
		if u.Deleted {
			continue loop
		}
		tx, err := ix.db.BeginTx(ctx, nil)
		if err != nil {
			log.Printf("begin: %v", err)
			continue loop
		}
		defer tx.Rollback() // HAZ defer-in-infinite-loop
		if _, err := tx.ExecContext(ctx, `UPSERT INTO idx(k, v) VALUES ($1, $2)`, u.Key, u.Value); err != nil {
			log.Printf("upsert %s: %v", u.Key, err)
			continue loop
		}
		if err := tx.Commit(); err != nil {
			log.Printf("commit %s: %v", u.Key, err)
		}
	}
}

// StartJanitor removes stale temp files in the background.
func (s *Server) StartJanitor(dir string) {
	go func() {
		for { // HAZ defer-in-loop
			entries, err := os.ReadDir(dir)
			if err == nil {
				for _, e := range entries {
					if strings.HasPrefix(e.Name(), "tmp-") {
						_ = os.Remove(dir + "/" + e.Name())
					}
				}
			}
			t := time.NewTimer(s.janitorEvery)
			defer t.Stop() // HAZ defer-in-infinite-loop
			<-t.C
		}
	}()
}

func (r *Retrier) dialForever(addr string) {
	for attempt := 0; ; attempt++ { // HAZ defer-in-loop
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			time.Sleep(backoff(attempt))
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		r.serve(conn)
	}
}

// ---- negatives for defer-in-infinite-loop (some are still defer-in-loop) ----

func (s *Server) drainBacklog(ln net.Listener, max int) {
	n := 0
	for {
		if n >= max {
			break
		}
		conn, err := ln.Accept()
		if err != nil {
			break
		}
		defer conn.Close() // HAZ defer-in-loop
		n++
		s.handleSync(conn)
	}
}

// RunUntilError stops at the first failing job.
func (w *Worker) RunUntilError(jobs <-chan Job) error {
	for job := range jobs {
		f, err := os.Open(job.Path)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		w.process(job, f)
	}
	return nil
}

func (c *Compactor) loopUntilEmpty(pending func() []string) {
outer:
	for {
		segs := pending()
		for _, seg := range segs {
			if seg == "" {
				break outer
			}
		}
		if len(segs) == 0 {
			return
		}
		f, err := os.Open(segs[0])
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		c.compact(f)
	}
}

func (r *Retrier) dialUntilFailure(addr string) {
	var attempts int
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			goto done
		}
		defer conn.Close() // HAZ defer-in-loop
		attempts++
		r.serve(conn)
	}
done:
	log.Printf("dialer for %s gave up after %d sessions", addr, attempts)
}

func (s *Server) acceptLoopScoped(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.log.Printf("accept: %v", err)
			continue
		}
		go func() {
			defer conn.Close() // ok: inside the per-connection literal
			s.handleSync(conn)
		}()
	}
}

func (w *Worker) runOne(job Job) {
	f, err := os.Open(job.Path)
	if err != nil {
		w.log.Printf("open %s: %v", job.Path, err)
		return
	}
	defer f.Close() // ok: not in a loop
	w.process(job, f)
}

// RunScoped consumes the queue forever, one helper call per job.
func (w *Worker) RunScoped(jobs <-chan Job) {
	for job := range jobs {
		w.runOne(job)
	}
}

func (s *Server) serveForever(ln net.Listener) {
	defer ln.Close() // ok: before the loop, not inside it
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.log.Printf("accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		go s.handle(conn)
	}
}

func (p *Poller) pollForeverScoped(ctx context.Context) {
	for {
		func() {
			reqCtx, cancel := context.WithTimeout(ctx, p.timeout)
			defer cancel() // ok: per-iteration literal
			p.fetch(reqCtx)
		}()
		time.Sleep(p.interval)
	}
}

// WarmupFiles opens a fixed number of files: a counted loop always ends.
func WarmupFiles(paths [3]string) int {
	opened := 0
	for i := range 3 {
		f, err := os.Open(paths[i])
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		opened++
	}
	return opened
}
