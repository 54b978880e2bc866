// Package devserver serves generated sources and previews during
// development, with live reload over server-sent events.
package devserver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Event is one served request, handed to the reload loop.
type Event struct {
	Path string
	Took time.Duration
}

// Server is the development server. Start its loops before serving.
type Server struct {
	root     string
	log      *log.Logger
	events   chan Event
	logFiles chan string
	clients  sync.Map // chan string -> struct{}
	stats    stats
	render   func(name string) ([]byte, error)
}

// New returns a server for the generated tree at root.
func New(root string, logger *log.Logger) *Server {
	return &Server{
		root:     root,
		log:      logger,
		events:   make(chan Event),
		logFiles: make(chan string),
		stats:    stats{byPath: make(map[string]int)},
		render: func(string) ([]byte, error) {
			return nil, errors.New("no renderer configured")
		},
	}
}

// SetRenderer installs the preview renderer used by /render.
func (s *Server) SetRenderer(fn func(name string) ([]byte, error)) {
	s.render = fn
}

// Handler returns the HTTP routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /files/", s.handleFile)
	mux.HandleFunc("GET /render", s.handleRender)
	mux.HandleFunc("GET /events", s.handleEvents)
	mux.HandleFunc("GET /stats", s.handleStats)
	mux.HandleFunc("POST /follow", s.handleFollow)
	mux.HandleFunc("GET /check", s.handleCheck)
	mux.HandleFunc("POST /check", s.handleCheckAll)

	api := http.NewServeMux()
	api.Handle("/api/", http.StripPrefix("/api", mux))

	root := http.NewServeMux()
	root.Handle("/api/", s.withJSONErrors(api))
	root.Handle("/", s.withRecover(mux))
	return s.withAccessLog(root)
}

// Start runs the reload loop until ctx is done, and the log follower for
// the life of the process.
func (s *Server) Start(ctx context.Context) {
	go s.ReloadLoop(ctx)
	go s.followLogs()
}

func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer s.record(r.URL.Path, start) // HAZ defer-blocking-call
	name := path.Clean("/" + strings.TrimPrefix(r.URL.Path, "/files/"))
	p := filepath.Join(s.root, filepath.FromSlash(name))
	if _, err := os.Stat(p); err != nil {
		http.NotFound(w, r)
		return
	}
	http.ServeFile(w, r, p)
}

// record hands an access event to the reload loop.
func (s *Server) record(path string, start time.Time) {
	s.events <- Event{Path: path, Took: time.Since(start)}
}

func (s *Server) handleRender(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	type result struct {
		body []byte
		err  error
	}
	ch := make(chan result, 1)
	name := r.URL.Query().Get("spec")
	go func() {
		b, err := s.render(name)
		ch <- result{b, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusUnprocessableEntity)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(res.body)
	case <-ctx.Done():
		http.Error(w, "render timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := make(chan string, 16)
	s.clients.Store(ch, struct{}{})
	defer s.clients.Delete(ch)
	w.Header().Set("Content-Type", "text/event-stream")
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-ch:
			fmt.Fprintf(w, "data: %s\n\n", msg)
			fl.Flush()
		}
	}
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(s.stats.top(20)); err != nil {
		s.log.Printf("stats: %v", err)
	}
}

func (s *Server) handleFollow(w http.ResponseWriter, r *http.Request) {
	p := r.FormValue("path")
	if p == "" {
		http.Error(w, "missing path", http.StatusBadRequest)
		return
	}
	select {
	case s.logFiles <- p:
		w.WriteHeader(http.StatusAccepted)
	case <-r.Context().Done():
	}
}

// ReloadLoop counts served files and tells clients to reload when a Go
// file changed. It returns when ctx is done.
func (s *Server) ReloadLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-s.events:
			s.stats.inc(ev.Path)
			if strings.HasSuffix(ev.Path, ".go") {
				s.broadcast("reload " + ev.Path)
			}
		}
	}
}

// followLogs streams the generator log files posted to /follow to the
// live-reload clients. It runs for the life of the process.
func (s *Server) followLogs() {
	heartbeat := time.NewTicker(15 * time.Second)
	for {
		select {
		case <-heartbeat.C:
			s.broadcast("ping")
		case p := <-s.logFiles:
			f, err := os.Open(p)
			if err != nil {
				s.log.Printf("follow %s: %v", p, err)
				break
			}
			defer f.Close() // HAZ defer-in-loop defer-in-infinite-loop
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				s.broadcast(sc.Text())
			}
		}
	}
}

// broadcast offers msg to every client; slow clients miss messages rather
// than stalling the generator.
func (s *Server) broadcast(msg string) {
	s.clients.Range(func(k, _ any) bool {
		select {
		case k.(chan string) <- msg:
		default:
		}
		return true
	})
}

// PathCount is one row of /stats.
type PathCount struct {
	Path  string `json:"path"`
	Count int    `json:"count"`
}

type stats struct {
	mu     sync.RWMutex
	byPath map[string]int
}

func (st *stats) inc(p string) {
	st.mu.Lock()
	st.byPath[p]++
	st.mu.Unlock()
}

func (st *stats) top(n int) []PathCount {
	st.mu.RLock()
	defer st.mu.Unlock() // HAZ defer-lock-mismatch
	out := make([]PathCount, 0, len(st.byPath))
	for p, c := range st.byPath {
		out = append(out, PathCount{Path: p, Count: c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func (st *stats) total() int {
	st.mu.RLock()
	defer st.mu.RUnlock()
	n := 0
	for _, c := range st.byPath {
		n += c
	}
	return n
}

func (st *stats) distinct() int {
	st.mu.RLock()
	n := len(st.byPath)
	st.mu.RUnlock()
	return n
}

// Summary returns a one-line description of the traffic so far.
func (s *Server) Summary() string {
	return fmt.Sprintf("%d requests for %d files", s.stats.total(), s.stats.distinct())
}
