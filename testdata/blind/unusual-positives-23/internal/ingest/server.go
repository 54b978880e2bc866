// Package ingest is the HTTP front end of the store.
package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/up23/internal/store"
	"example.com/up23/internal/syncx"
)

// Event describes one accepted write request, for the audit consumer.
type Event struct {
	Remote string
	Points int
	At     time.Time
}

// Server serves the ingest API.
type Server struct {
	st           *store.Store
	log          *log.Logger
	client       *http.Client
	peers        []string
	sem          syncx.Semaphore
	events       chan Event
	queryTimeout time.Duration
}

// NewServer returns a server writing into st and replicating to peers.
func NewServer(st *store.Store, logger *log.Logger, peers []string) *Server {
	return &Server{
		st:           st,
		log:          logger,
		client:       &http.Client{Transport: http.DefaultTransport},
		peers:        peers,
		sem:          syncx.NewSemaphore(2),
		events:       make(chan Event, 64),
		queryTimeout: 3 * time.Second,
	}
}

// Events is the stream of accepted writes; it is drained by the auditor.
func (s *Server) Events() <-chan Event { return s.events }

// Handler returns the server's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /write", s.handleWrite)
	mux.HandleFunc("POST /replicate", s.handleReplicate)
	mux.HandleFunc("GET /query", s.handleQuery)
	mux.HandleFunc("GET /query/fast", s.handleQueryFast)
	mux.HandleFunc("POST /compact", s.handleCompact)
	mux.HandleFunc("POST /compact/wait", s.handleCompactWait)
	return mux
}

// parseLines decodes "series ts value" lines.
func parseLines(r io.Reader) ([]store.Batch, error) {
	bySeries := make(map[string][]store.Point)
	var order []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("malformed line %q", sc.Text())
		}
		ts, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return nil, err
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, err
		}
		if _, ok := bySeries[f[0]]; !ok {
			order = append(order, f[0])
		}
		bySeries[f[0]] = append(bySeries[f[0]], store.Point{TS: ts, V: v})
	}
	out := make([]store.Batch, 0, len(order))
	for _, name := range order {
		out = append(out, store.Batch{Series: name, Points: bySeries[name]})
	}
	return out, sc.Err()
}

// notify hands ev to the auditor without ever blocking the request.
func (s *Server) notify(ev Event) {
	select {
	case s.events <- ev:
	default:
		s.log.Printf("ingest: audit queue full, dropping event from %s", ev.Remote)
	}
}

func (s *Server) handleWrite(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()
	batches, err := parseLines(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n := 0
	defer func() { s.notify(Event{Remote: r.RemoteAddr, Points: n, At: time.Now()}) }()
	for _, b := range batches {
		if err := s.st.ApplyBatch(b); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		n += len(b.Points)
	}
	w.WriteHeader(http.StatusNoContent)
}

// replicate forwards body to every peer.
func (s *Server) replicate(body []byte) {
	for _, peer := range s.peers {
		resp, err := s.client.Post(peer+"/write", "text/plain", bytes.NewReader(body))
		if err != nil {
			s.log.Printf("ingest: replicate to %s: %v", peer, err)
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func (s *Server) handleReplicate(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer s.replicate(body) // HAZ defer-blocking-call
	batches, err := parseLines(bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for _, b := range batches {
		if err := s.st.ApplyBatch(b); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

type queryResult struct {
	Series string        `json:"series"`
	Points []store.Point `json:"points"`
}

// query collects the points of series from every shard.
func (s *Server) query(series string) queryResult {
	res := queryResult{Series: series}
	for _, sh := range s.st.Shards() {
		res.Points = append(res.Points, sh.Points(series)...)
	}
	return res
}

func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) {
	series := r.URL.Query().Get("series")
	ch := make(chan queryResult)
	go func() {
		ch <- s.query(series) // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(res)
	case <-time.After(s.queryTimeout):
		http.Error(w, "query timed out", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

// QueryChecked queries series after making sure the first peer is healthy,
// so callers do not act on a result the replica has not seen.
func (s *Server) QueryChecked(ctx context.Context, series string) (queryResult, error) {
	ch := make(chan queryResult)
	go func() {
		ch <- s.query(series) // HAZ goroutine-blocked-send
	}()
	if len(s.peers) > 0 {
		if err := s.ping(ctx, s.peers[0]); err != nil {
			return queryResult{}, fmt.Errorf("replica unhealthy: %w", err)
		}
	}
	return <-ch, nil
}

// scan queries series in the background and sends the result on out.
func (s *Server) scan(series string, out chan<- queryResult) {
	go func() {
		out <- s.query(series)
	}()
}

// QueryAll queries every series concurrently until ctx is done.
func (s *Server) QueryAll(ctx context.Context, names []string) ([]queryResult, error) {
	out := make(chan queryResult, len(names))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, n := range names {
		s.scan(n, out)
	}
	res := make([]queryResult, 0, len(names))
	for range names {
		select {
		case r := <-out:
			res = append(res, r)
		case <-ctx.Done():
			return res, ctx.Err()
		}
	}
	return res, nil
}

// QueryEach is QueryAll without the deadline: it always receives every
// result before returning.
func (s *Server) QueryEach(names []string) []queryResult {
	out := make(chan queryResult, len(names))
	defer close(out)
	for _, n := range names {
		s.scan(n, out)
	}
	res := make([]queryResult, 0, len(names))
	for range names {
		res = append(res, <-out)
	}
	return res
}

func (s *Server) handleQueryFast(w http.ResponseWriter, r *http.Request) {
	series := r.URL.Query().Get("series")
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout/3)
	defer cancel()
	ch := make(chan queryResult, 1)
	go func() {
		ch <- s.query(series)
	}()
	select {
	case res := <-ch:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(res)
	case <-ctx.Done():
		http.Error(w, "query timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleCompact(w http.ResponseWriter, r *http.Request) {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if r.URL.Query().Get("block") == "" {
		rel, ok := s.sem.TryAcquire()
		if !ok {
			http.Error(w, "compaction already running", http.StatusTooManyRequests)
			return
		}
		release = rel
	} else {
		release = s.sem.Acquire()
	}
	freed := s.st.CompactEach()
	fmt.Fprintf(w, "freed %d bytes\n", freed)
}

func (s *Server) handleCompactWait(w http.ResponseWriter, r *http.Request) {
	defer s.sem.Acquire()()
	freed := s.st.CompactEach()
	fmt.Fprintf(w, "freed %d bytes\n", freed)
}

// get issues a GET with the server's client and a request id header.
func (s *Server) get(ctx context.Context, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Request-Source", "ingest")
	return s.client.Do(req)
}

// PeerVersion returns the version string a peer reports.
func (s *Server) PeerVersion(ctx context.Context, peer string) (string, error) {
	resp, err := s.get(ctx, peer+"/version")
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256))
	return strings.TrimSpace(string(b)), err
}

// PeerStatus checks every peer concurrently and waits for all answers.
func (s *Server) PeerStatus(ctx context.Context) map[string]error {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]error, len(s.peers))
	)
	for _, peer := range s.peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.ping(ctx, peer)
			mu.Lock()
			defer mu.Unlock()
			out[peer] = err
		}()
	}
	wg.Wait()
	return out
}

// ping checks a peer's health endpoint.
func (s *Server) ping(ctx context.Context, peer string) error {
	resp, err := s.get(ctx, peer+"/healthz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", peer, resp.Status)
	}
	return nil
}

// Broadcast pushes body to every peer concurrently and returns how many
// peers it tried.
func (s *Server) Broadcast(body []byte) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(s.peers); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			s.push(s.peers[i], body)
		}()
	}
	wg.Wait()
	return i
}

// push sends body to one peer and logs failures.
func (s *Server) push(peer string, body []byte) {
	resp, err := s.client.Post(peer+"/write", "text/plain", bytes.NewReader(body))
	if err != nil {
		s.log.Printf("ingest: push to %s: %v", peer, err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		s.log.Printf("ingest: push to %s: %s", peer, resp.Status)
	}
}

// BroadcastAll is Broadcast with per-iteration loop variables.
func (s *Server) BroadcastAll(body []byte) {
	var wg sync.WaitGroup
	for i := 0; i < len(s.peers); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.push(s.peers[i], body)
		}()
	}
	wg.Wait()
}
