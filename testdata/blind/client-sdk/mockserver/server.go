// Package mockserver is an in-process fake of the object API for tests and examples.
package mockserver

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/sdk/paginate"
	"example.com/sdk/stream"
)

// Recorded is a request seen by the server.
type Recorded struct {
	Method string
	Path   string
	Body   []byte
}

// Server is the fake API.
type Server struct {
	// Requests, if non-nil, receives every object request. Tests read from it.
	Requests chan Recorded
	// Latency is added before each object response.
	Latency  time.Duration
	PageSize int
	Logger   *log.Logger

	mu      sync.Mutex
	objects map[string][]byte
	events  []stream.Event
	seq     int64
	notify  chan struct{}
	done    chan struct{}
	closing sync.Once

	ts *httptest.Server
}

// New returns an unstarted server.
func New() *Server {
	return &Server{
		PageSize: 100,
		objects:  make(map[string][]byte),
		notify:   make(chan struct{}),
		done:     make(chan struct{}),
	}
}

// Handler returns the HTTP handler for the fake API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/objects", s.handleList)
	mux.HandleFunc("/objects/", s.handleObject)
	mux.HandleFunc("/changes", s.handleChanges)
	mux.HandleFunc("/changes/wait", s.handleChangesWait)
	mux.HandleFunc("/stream", s.handleStream)
	mux.HandleFunc("/oauth/token", s.handleToken)
	mux.HandleFunc("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return s.withRecover(mux)
}

// Start serves on a loopback port and returns the base URL.
func (s *Server) Start() string {
	s.ts = httptest.NewServer(s.Handler())
	return s.ts.URL
}

// Close stops the server and wakes pending long polls.
func (s *Server) Close() {
	s.closing.Do(func() { close(s.done) })
	if s.ts != nil {
		s.ts.Close()
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.Logger != nil {
		s.Logger.Printf(format, args...)
	}
}

func (s *Server) withRecover(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				s.logf("panic serving %s %s: %v", r.Method, r.URL.Path, v) // ok: logged and answered
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

func (s *Server) record(rec Recorded) {
	if s.Requests != nil {
		s.Requests <- rec
	}
}

func (s *Server) recordNonBlocking(rec Recorded) {
	if s.Requests == nil {
		return
	}
	select {
	case s.Requests <- rec:
	default:
		s.logf("request log full, dropped %s %s", rec.Method, rec.Path)
	}
}

func (s *Server) handleObject(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/objects/")
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer s.record(Recorded{Method: r.Method, Path: r.URL.Path, Body: body}) // HAZ defer-blocking-call
	if s.Latency > 0 {
		t := time.NewTimer(s.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	s.serveObject(w, r, key, body)
}

func (s *Server) serveObject(w http.ResponseWriter, r *http.Request, key string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock() // ok: no call below takes s.mu
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		b, ok := s.objects[key]
		if !ok {
			http.Error(w, "no such key", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		if r.Method == http.MethodGet {
			w.Write(b)
		}
	case http.MethodPut:
		s.objects[key] = body
		w.WriteHeader(http.StatusOK)
	case http.MethodDelete:
		if _, ok := s.objects[key]; !ok {
			http.Error(w, "no such key", http.StatusNotFound)
			return
		}
		delete(s.objects, key)
		w.WriteHeader(http.StatusNoContent)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *Server) keys(prefix string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.objects {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	s.recordNonBlocking(Recorded{Method: r.Method, Path: r.URL.String()})
	keys := s.keys(r.URL.Query().Get("prefix"))
	start := 0
	if tok := r.URL.Query().Get("page_token"); tok != "" {
		c, err := paginate.DecodeCursor(tok)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		start = int(c.Offset)
	}
	if start > len(keys) {
		start = len(keys)
	}
	end := start + s.PageSize
	if end > len(keys) {
		end = len(keys)
	}
	page := paginate.Page[string]{Items: keys[start:end]}
	if end < len(keys) {
		page.NextToken = paginate.EncodeCursor(paginate.Cursor{Offset: uint64(end)})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(page)
}

// Publish appends a change event and wakes long polls.
func (s *Server) Publish(typ string, data any) {
	raw, _ := json.Marshal(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	s.events = append(s.events, stream.Event{Seq: s.seq, Type: typ, Data: raw})
	close(s.notify)
	s.notify = make(chan struct{})
}

func (s *Server) eventsSince(since int64) ([]stream.Event, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []stream.Event
	for _, ev := range s.events {
		if ev.Seq > since {
			out = append(out, ev)
		}
	}
	return out, s.notify
}

// waitForEvents blocks until there are events after since or stop is closed.
func (s *Server) waitForEvents(stop <-chan struct{}, since int64) []stream.Event {
	for {
		evs, changed := s.eventsSince(since)
		if len(evs) > 0 {
			return evs
		}
		select {
		case <-changed:
		case <-stop:
			return nil
		}
	}
}

func parseSince(r *http.Request) int64 {
	n, _ := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	return n
}

// handleChanges is the long-poll endpoint.
func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request) {
	since := parseSince(r)
	ch := make(chan []stream.Event)
	go func() { // HAZ goroutine-blocked-send
		ch <- s.waitForEvents(s.done, since)
	}()
	select {
	case evs := <-ch:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(evs)
	case <-r.Context().Done():
	case <-time.After(30 * time.Second):
		w.WriteHeader(http.StatusNoContent)
	}
}

// handleChangesWait long-polls without a helper goroutine.
func (s *Server) handleChangesWait(w http.ResponseWriter, r *http.Request) {
	since := parseSince(r)
	t := time.NewTimer(30 * time.Second)
	defer t.Stop() // ok: Stop does not block
	for {
		evs, changed := s.eventsSince(since)
		if len(evs) > 0 {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(evs)
			return
		}
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-t.C:
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
}

// handleStream sends every event as a JSON line, flushing each one.
func (s *Server) handleStream(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	since := parseSince(r)
	for {
		evs, changed := s.eventsSince(since)
		for _, ev := range evs {
			if err := enc.Encode(ev); err != nil {
				return
			}
			since = ev.Seq
		}
		fl.Flush()
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"access_token": "tok-" + strconv.FormatInt(time.Now().UnixNano(), 36),
		"token_type":   "Bearer",
		"expiry":       time.Now().Add(time.Hour),
	})
}

// Objects returns a copy of the stored objects.
func (s *Server) Objects() map[string][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]byte, len(s.objects))
	for k, v := range s.objects {
		out[k] = v
	}
	return out
}

// Load replaces the stored objects.
func (s *Server) Load(objs map[string][]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects = make(map[string][]byte, len(objs))
	for k, v := range objs {
		s.objects[k] = v
	}
}
