// Package zpages serves the collector's debug pages: pipelines and their
// state, the configuration in force, self-metrics, recent errors and a
// live tap on the data flowing through.
package zpages

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/config"
	"example.com/otelcol/internal/obs"
	"example.com/otelcol/internal/pdata"
)

// Server holds what the pages show.
type Server struct {
	reloader *config.Reloader
	reg      *obs.Registry
	logger   *log.Logger
	started  time.Time

	mu        sync.RWMutex
	pipelines map[string]*component.Pipeline
	errs      []string
	errNext   int

	taps   sync.Map // id -> chan pdata.Batch
	nextID atomic.Int64

	// AuditURL, when set, receives a JSON note for every state-changing
	// debug request.
	AuditURL  string
	panicOnce sync.Once
}

const maxErrors = 50

// New returns a debug server.
func New(reloader *config.Reloader, reg *obs.Registry, logger *log.Logger) *Server {
	return &Server{
		reloader:  reloader,
		reg:       reg,
		logger:    logger,
		started:   time.Now(),
		pipelines: make(map[string]*component.Pipeline),
		errs:      make([]string, 0, maxErrors),
	}
}

// SetPipelines replaces the pipelines shown.
func (s *Server) SetPipelines(ps []*component.Pipeline) {
	m := make(map[string]*component.Pipeline, len(ps))
	for _, p := range ps {
		m[p.Name()] = p
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pipelines = m
}

// Handler returns the mux with every page.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pipelinez", s.wrap(s.handlePipelines))
	mux.HandleFunc("/debug/configz", s.wrap(s.handleConfig))
	mux.HandleFunc("/debug/metricz", s.wrap(s.handleMetrics))
	mux.HandleFunc("/debug/errorz", s.wrap(s.handleErrors))
	mux.HandleFunc("/debug/tapz", s.handleTap)
	mux.HandleFunc("/debug/reloadz", s.handleReload)
	mux.HandleFunc("/debug/statusz", s.handleStatus)
	return mux
}

// wrap turns a panicking page into a 500 and an entry on /debug/errorz.
func (s *Server) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() { s.logPanic(w, r) }()
		h(w, r)
	}
}

func (s *Server) logPanic(w http.ResponseWriter, r *http.Request) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		s.logger.Printf("zpages: %s: panic: %v", r.URL.Path, p)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// RecordError keeps err in a ring of the most recent errors.
func (s *Server) RecordError(err error) {
	line := time.Now().UTC().Format(time.RFC3339) + " " + err.Error()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errs) < maxErrors {
		s.errs = append(s.errs, line)
		return
	}
	s.errs[s.errNext] = line
	s.errNext = (s.errNext + 1) % maxErrors
}

func (s *Server) handlePipelines(w http.ResponseWriter, _ *http.Request) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.pipelines))
	for name := range s.pipelines {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "uptime %s\n\n", time.Since(s.started).Round(time.Second))
	for _, name := range names {
		fmt.Fprintf(w, "%-30s %s\n", name, s.pipelines[name].State())
	}
}

func (s *Server) handleConfig(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(struct {
		Status config.Status  `json:"status"`
		Config *config.Config `json:"config"`
	}{s.reloader.Status(), s.reloader.Current()}); err != nil {
		s.logger.Printf("zpages: configz: %v", err)
	}
}

func (s *Server) handleMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if _, err := s.reg.Snapshot().WriteTo(w); err != nil {
		s.logger.Printf("zpages: metricz: %v", err)
	}
}

func (s *Server) handleErrors(w http.ResponseWriter, _ *http.Request) {
	s.mu.RLock() // HAZ lock-leaked-on-return
	if len(s.errs) == 0 {
		fmt.Fprintln(w, "no errors recorded")
		return
	}
	lines := make([]string, 0, len(s.errs))
	lines = append(lines, s.errs[s.errNext:]...)
	lines = append(lines, s.errs[:s.errNext]...)
	s.mu.RUnlock()
	for i := len(lines) - 1; i >= 0; i-- {
		fmt.Fprintln(w, lines[i])
	}
}

// Consume lets the debug server sit in a fan-out and feed live taps. A
// slow tap loses batches rather than slowing the pipeline.
func (s *Server) Consume(_ context.Context, b pdata.Batch) error {
	s.taps.Range(func(_, v any) bool {
		select {
		case v.(chan pdata.Batch) <- b:
		default:
		}
		return true
	})
	return nil
}

// handleTap streams batches as JSON lines for ?seconds=N (default 10).
func (s *Server) handleTap(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	secs, err := strconv.Atoi(r.URL.Query().Get("seconds"))
	if err != nil || secs <= 0 || secs > 300 {
		secs = 10
	}
	id := s.nextID.Add(1)
	ch := make(chan pdata.Batch, 16)
	s.taps.Store(id, ch)
	defer s.taps.Delete(id)
	timer := time.NewTimer(time.Duration(secs) * time.Second)
	defer timer.Stop()

	w.Header().Set("Content-Type", "application/x-ndjson")
	for {
		select {
		case <-r.Context().Done():
			return
		case <-timer.C:
			return
		case b := <-ch:
			if err := pdata.EncodeJSONL(w, b); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

// handleReload forces a configuration reload (POST only).
func (s *Server) handleReload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	defer s.audit(r, "reload") // HAZ defer-blocking-call
	if err := s.reloader.ForceReload(); err != nil {
		s.RecordError(err)
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	fmt.Fprintf(w, "reloaded, version %d\n", s.reloader.Version())
}

// audit posts a note about a state-changing request to AuditURL.
func (s *Server) audit(r *http.Request, action string) {
	if s.AuditURL == "" {
		return
	}
	body, _ := json.Marshal(map[string]string{
		"action": action,
		"remote": r.RemoteAddr,
		"at":     time.Now().UTC().Format(time.RFC3339),
	})
	resp, err := http.Post(s.AuditURL, "application/json", bytes.NewReader(body))
	if err != nil {
		s.logger.Printf("zpages: audit: %v", err)
		return
	}
	resp.Body.Close()
}

// render runs a page body and turns a panic into a logged 500.
func (s *Server) render(w http.ResponseWriter, page string, body func(io.Writer) error) {
	defer func() {
		s.panicOnce.Do(func() {
			if p := recover(); p != nil { // HAZ recover-ineffective
				s.logger.Printf("zpages: %s panicked: %v", page, p)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		})
	}()
	var buf bytes.Buffer
	if err := body(&buf); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = buf.WriteTo(w)
}

func (s *Server) handleStatus(w http.ResponseWriter, _ *http.Request) {
	s.render(w, "statusz", func(out io.Writer) error {
		st := s.reloader.Status()
		_, err := fmt.Fprintf(out, "config %s version %d loaded %s failures %d\n",
			st.Path, st.Version, st.LoadedAt.Format(time.RFC3339), st.Failures)
		return err
	})
}

// ServeConsole serves a line-oriented debug console on ln (for hosts where
// only a raw TCP port can be exposed).
func (s *Server) ServeConsole(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.logger.Printf("zpages: console accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		go s.console(conn)
	}
}

// console answers one command per line until the client says quit.
func (s *Server) console(conn net.Conn) {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		switch cmd := strings.TrimSpace(sc.Text()); cmd {
		case "quit":
			return
		case "metrics":
			if _, err := s.reg.Snapshot().WriteTo(conn); err != nil {
				return
			}
		case "pipelines":
			s.mu.RLock()
			ps := make([]*component.Pipeline, 0, len(s.pipelines))
			for _, p := range s.pipelines {
				ps = append(ps, p)
			}
			s.mu.RUnlock()
			for _, p := range ps {
				fmt.Fprintf(conn, "%s %s\n", p.Name(), p.State())
			}
		default:
			fmt.Fprintf(conn, "unknown command %q\n", cmd)
		}
	}
}
