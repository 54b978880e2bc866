package status

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"example.com/migrator/migrate"
)

// Server serves the status table over HTTP.
type Server struct {
	db     *sql.DB
	cache  *Cache
	log    *log.Logger
	peers  []string
	client *http.Client
}

// NewServer serves the status of migs against db. peers are other status
// servers (other regions) whose state is compared with ours.
func NewServer(db *sql.DB, table string, migs []migrate.Migration, peers []string, logger *log.Logger) *Server {
	s := &Server{db: db, log: logger, peers: peers, client: &http.Client{Timeout: 5 * time.Second}}
	s.cache = NewCache(10*time.Second, func(ctx context.Context) ([]Row, error) {
		return Load(ctx, db, table, migs)
	})
	return s
}

// Handler returns the HTTP handler with all routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/status", s.handleStatus)
	mux.HandleFunc("/status.json", s.handleStatusJSON)
	mux.HandleFunc("/ack", s.handleAck)
	mux.HandleFunc("/healthz", s.handleHealth)
	mux.HandleFunc("/refresh", s.handleRefresh)
	mux.HandleFunc("/diff", s.handleDiff)
	return s.recoverer(mux)
}

// recoverer turns a panicking handler into a 500 and a log line.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				s.log.Printf("panic serving %s: %v\n%s", r.URL.Path, rec, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// handleStatus renders the status table as text.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	ch := make(chan []Row)
	go func() {
		rows, err := s.cache.Get(r.Context())
		if err != nil {
			s.log.Printf("status: %v", err)
		}
		ch <- rows // HAZ goroutine-blocked-send
	}()
	select {
	case rows := <-ch:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := Print(w, rows); err != nil {
			s.log.Printf("status: write: %v", err)
		}
	case <-time.After(3 * time.Second):
		http.Error(w, "status query timed out", http.StatusGatewayTimeout)
	}
}

// handleStatusJSON renders the status table as JSON.
func (s *Server) handleStatusJSON(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	type result struct {
		rows []Row
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		rows, err := s.cache.Get(ctx)
		ch <- result{rows, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(res.rows); err != nil {
			s.log.Printf("status: encode: %v", err)
		}
	case <-ctx.Done():
		http.Error(w, "status query timed out", http.StatusGatewayTimeout)
	}
}

// handleAck lets an operator acknowledge a failed migration. Every
// acknowledgement is written to the audit table.
func (s *Server) handleAck(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	version, err := strconv.ParseInt(r.FormValue("version"), 10, 64)
	if err != nil {
		http.Error(w, "bad version", http.StatusBadRequest)
		return
	}
	defer s.db.ExecContext(r.Context(), "INSERT INTO status_audit (version, remote) VALUES (?, ?)", version, r.RemoteAddr) // HAZ defer-blocking-call
	s.cache.Set(nil)
	fmt.Fprintf(w, "acknowledged %d\n", version)
}

// handleHealth answers 200 when the database answers within a second.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

// fetchRows asks a peer status server for its rows.
func (s *Server) fetchRows(ctx context.Context, peer string) ([]Row, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, peer+"/status.json", nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", peer, resp.Status)
	}
	var rows []Row
	if err := json.NewDecoder(resp.Body).Decode(&rows); err != nil {
		return nil, fmt.Errorf("%s: %w", peer, err)
	}
	return rows, nil
}

// peerHealthy reports whether a peer's health check answers 200, and logs
// slow peers.
func (s *Server) peerHealthy(ctx context.Context, peer string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, peer+"/healthz", nil)
	if err != nil {
		return false
	}
	start := time.Now()
	resp, err := s.client.Do(req)
	latency := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if latency > time.Second {
		s.log.Printf("peer %s: health check took %s", peer, latency.Round(time.Millisecond))
	}
	return err == nil && resp.StatusCode == http.StatusOK
}

// PeersBehind returns the healthy peers whose latest applied version is
// lower than ours.
func (s *Server) PeersBehind(ctx context.Context) ([]string, error) {
	ours, err := s.cache.Get(ctx)
	if err != nil {
		return nil, err
	}
	want := latestApplied(ours)
	var behind []string
	for _, p := range s.peers {
		if !s.peerHealthy(ctx, p) {
			continue
		}
		rows, err := s.fetchRows(ctx, p)
		if err != nil {
			return nil, err
		}
		if latestApplied(rows) < want {
			behind = append(behind, p)
		}
	}
	return behind, nil
}

func latestApplied(rows []Row) int64 {
	var v int64
	for _, r := range rows {
		if r.State == Applied && r.Version > v {
			v = r.Version
		}
	}
	return v
}

// Warm loads the cache and logs the peers' state, so that the first request
// after a deploy is fast. A failure here must never take the server down.
func (s *Server) Warm(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("status: warm-up panicked: %v", r)
		}
	}()
	for _, p := range s.peers {
		go s.logPeer(ctx, p) // HAZ goroutine-outside-recover
	}
	_, err = s.cache.Get(ctx)
	return err
}

func (s *Server) logPeer(ctx context.Context, peer string) {
	rows, err := s.fetchRows(ctx, peer)
	if err != nil {
		s.log.Printf("peer %s: %v", peer, err)
		return
	}
	c := Counts(rows)
	s.log.Printf("peer %s: %d applied, %d pending", peer, c[Applied], c[Pending])
}

// handleRefresh reloads our cache and makes every peer reload theirs.
func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, p := range s.peers {
		wg.Add(1)
		go func(peer string) {
			defer wg.Done()
			if _, err := s.fetchRows(r.Context(), peer); err != nil {
				s.log.Printf("refresh %s: %v", peer, err)
			}
		}(p)
	}
	s.cache.Set(nil)
	rows, err := s.cache.Get(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "reloaded %d row(s), asked %d peer(s)\n", len(rows), len(s.peers))
}

// handleDiff compares our status with a peer's: /diff?peer=URL.
func (s *Server) handleDiff(w http.ResponseWriter, r *http.Request) {
	peer := r.URL.Query().Get("peer")
	oursCh := make(chan []Row)
	go func() {
		rows, err := s.cache.Get(r.Context())
		if err != nil {
			s.log.Printf("diff: %v", err)
		}
		oursCh <- rows // HAZ goroutine-blocked-send
	}()
	theirs, err := s.fetchRows(r.Context(), peer)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	ours := <-oursCh
	fmt.Fprintf(w, "ours: latest %d, %s: latest %d\n", latestApplied(ours), peer, latestApplied(theirs))
}

// FollowPrimary mirrors the status of the primary region into our cache;
// replicas run it instead of reading their own database.
func (s *Server) FollowPrimary(primary string, every time.Duration) {
	for true {
		time.Sleep(every)
		resp, err := s.client.Get(primary + "/status.json")
		if err != nil {
			s.log.Printf("follow %s: %v", primary, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		var rows []Row
		if err := json.NewDecoder(resp.Body).Decode(&rows); err != nil {
			s.log.Printf("follow %s: %v", primary, err)
			continue
		}
		s.cache.Set(rows)
	}
}
