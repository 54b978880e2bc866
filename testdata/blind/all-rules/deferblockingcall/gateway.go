// Package gateway serves uploads and runs background conversions.
package gateway

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Server is the upload gateway.
type Server struct {
	db       *sql.DB
	client   *http.Client
	webhook  string
	settle   time.Duration
	spool    string
	wg       sync.WaitGroup
	done     chan struct{}
	ack      chan struct{}
	events   chan string
	mu       sync.Mutex
	inflight map[string]bool
	active   atomic.Int64
	http     *http.Server
}

func (s *Server) drain() {
	log.Print("draining background work")
	s.wg.Wait()
}

func (s *Server) markDone(ctx context.Context, id string) {
	if _, err := s.db.ExecContext(ctx, `UPDATE jobs SET finished_at = now() WHERE id = $1`, id); err != nil {
		log.Printf("mark %s done: %v", id, err)
	}
}

func (s *Server) finish(ctx context.Context, id string) {
	s.active.Add(-1)
	s.markDone(ctx, id)
}

func (s *Server) cleanEntry(path string, d fs.DirEntry, err error) error {
	if err != nil || d.IsDir() {
		return err
	}
	if time.Since(modTime(d)) > time.Hour {
		return os.Remove(path)
	}
	return nil
}

func modTime(d fs.DirEntry) time.Time {
	info, err := d.Info()
	if err != nil {
		return time.Time{}
	}
	return info.ModTime()
}

func (s *Server) release(id string) {
	s.mu.Lock()
	delete(s.inflight, id)
	s.mu.Unlock()
	s.active.Add(-1)
}

func (s *Server) notify(id string) {
	resp, err := s.client.Post(s.webhook, "text/plain", bytes.NewBufferString(id))
	if err != nil {
		log.Printf("notify %s: %v", id, err)
		return
	}
	resp.Body.Close()
}

func (s *Server) store(ctx context.Context, id string, r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

// HandleUpload stores an upload and lets the replicas settle.
func (s *Server) HandleUpload(w http.ResponseWriter, r *http.Request) {
	defer time.Sleep(s.settle) // HAZ defer-blocking-call
	if err := s.store(r.Context(), r.URL.Query().Get("id"), r.Body); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// HandleConvert converts an upload inside a scratch directory.
func (s *Server) HandleConvert(w http.ResponseWriter, r *http.Request) {
	dir, err := os.MkdirTemp(s.spool, "convert-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call
	if err := s.store(r.Context(), filepath.Join(dir, "in"), r.Body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// Worker processes one job and signals the supervisor.
func (s *Server) Worker(ctx context.Context, id string) error {
	defer func() {
		s.done <- struct{}{} // HAZ defer-blocking-call
	}()
	return s.store(ctx, id, bytes.NewReader(nil))
}

// Reload swaps the configuration once in-flight work has drained.
func (s *Server) Reload(cfg map[string]string) {
	defer s.drain() // HAZ defer-blocking-call
	s.mu.Lock()
	for k := range cfg {
		s.inflight[k] = false
	}
	s.mu.Unlock()
}

// RunJob runs a job and records its completion.
func (s *Server) RunJob(ctx context.Context, id string, body io.Reader) error {
	defer s.db.ExecContext(ctx, `UPDATE jobs SET finished_at = now() WHERE id = $1`, id) // HAZ defer-blocking-call
	return s.store(ctx, id, body)
}

// Session runs a line protocol session and says goodbye.
func (s *Server) Session(conn net.Conn, lines []string) error {
	defer conn.Write([]byte("QUIT\r\n")) // HAZ defer-blocking-call
	for _, l := range lines {
		if _, err := io.WriteString(conn, l+"\r\n"); err != nil {
			return err
		}
	}
	return nil
}

// HandleDelete deletes an object and notifies the webhook.
func (s *Server) HandleDelete(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	defer func() { // HAZ defer-blocking-call
		resp, err := s.client.Post(s.webhook, "text/plain", bytes.NewBufferString("deleted "+id))
		if err == nil {
			resp.Body.Close()
		}
	}()
	s.release(id)
	w.WriteHeader(http.StatusNoContent)
}

// Transcode runs ffmpeg and waits for it at exit.
func (s *Server) Transcode(ctx context.Context, in, out string) error {
	cmd := exec.CommandContext(ctx, "ffmpeg", "-i", in, out)
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	log.Printf("transcoding %s (pid %d)", in, cmd.Process.Pid)
	return nil
}

// Commit applies a change and waits for the replica acknowledgement.
func (s *Server) Commit(ctx context.Context, id string) error {
	defer func() { <-s.ack }() // HAZ defer-blocking-call
	return s.store(ctx, id, bytes.NewReader(nil))
}

// PurgeSpool purges a tenant and sweeps the spool directory.
func (s *Server) PurgeSpool(tenant string) error {
	defer filepath.WalkDir(s.spool, s.cleanEntry) // HAZ defer-blocking-call
	return os.Remove(filepath.Join(s.spool, tenant+".lock"))
}

// HandleComplete completes a job; the deferred finish writes to the database.
func (s *Server) HandleComplete(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	defer s.finish(r.Context(), id) // HAZ defer-blocking-call
	w.WriteHeader(http.StatusOK)
}

// ---- negatives ----

// Run serves until ctx ends and shuts down with a bounded timeout.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.http.Shutdown(shutdownCtx); err != nil { // ok: bounded by the timeout
			log.Printf("shutdown: %v", err)
		}
	}()
	go func() {
		<-ctx.Done()
		s.http.Close()
	}()
	return s.http.Serve(ln)
}

// Echo copies a connection back to itself and closes it.
func (s *Server) Echo(conn net.Conn) error {
	defer conn.Close() // ok: plain Close
	_, err := io.Copy(conn, conn)
	return err
}

// Publish reports an event without blocking.
func (s *Server) Publish(ctx context.Context, id string) error {
	defer func() {
		select {
		case s.events <- id: // ok: select with default
		default:
			log.Printf("event queue full, dropping %s", id)
		}
	}()
	return s.store(ctx, id, bytes.NewReader(nil))
}

// PublishWithin waits at most a second to report the event.
func (s *Server) PublishWithin(ctx context.Context, id string) error {
	defer func() {
		t := time.NewTimer(time.Second)
		defer t.Stop()
		select {
		case s.events <- id: // ok: bounded by the timer
		case <-t.C:
			log.Printf("event for %s timed out", id)
		}
	}()
	return s.store(ctx, id, bytes.NewReader(nil))
}

// Background runs work on the server's wait group.
func (s *Server) Background(work func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done() // ok: Done does not block
		work()
	}()
}

// HandleStatus answers with a bounded database lookup.
func (s *Server) HandleStatus(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 200*time.Millisecond)
	defer cancel() // ok
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM jobs`).Scan(&n); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// Track counts fn as active work while it runs.
func (s *Server) Track(fn func()) {
	s.active.Add(1)
	defer s.active.Add(-1) // ok: an atomic counter update
	fn()
}

// HandleNotifyAsync notifies the webhook from a goroutine started at exit.
func (s *Server) HandleNotifyAsync(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	defer func() {
		go s.notify(id) // ok: the deferred function only starts the goroutine
	}()
	w.WriteHeader(http.StatusAccepted)
}

// HandleUploadTemp removes its single temp file.
func (s *Server) HandleUploadTemp(w http.ResponseWriter, r *http.Request) {
	f, err := os.CreateTemp(s.spool, "upload-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.Remove(f.Name()) // ok: a single unlink, not RemoveAll
	defer f.Close()
	if _, err := io.Copy(f, r.Body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := f.Close(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// ListJobs returns job ids; the deferred Close of rows is cheap.
func (s *Server) ListJobs(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM jobs`)
	if err != nil {
		return nil, err
	}
	defer rows.Close() // ok
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// RunJobBounded records completion with its own short timeout.
func (s *Server) RunJobBounded(ctx context.Context, id string, body io.Reader) error {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		s.markDone(ctx, id) // ok: bounded by context.WithTimeout in the deferred call
	}()
	return s.store(ctx, id, body)
}
