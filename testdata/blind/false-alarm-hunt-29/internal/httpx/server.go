package httpx

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"example.com/fah29/internal/async"
	"example.com/fah29/internal/fsx"
	"example.com/fah29/internal/group"
	"example.com/fah29/internal/syncx"
)

// Server is a small key/value store over HTTP.
type Server struct {
	log      *slog.Logger
	store    *syncx.Map[string, []byte]
	client   *http.Client
	hookURL  string
	render   func(ctx context.Context, id string) ([]byte, error)
	onChange func(event, key string)
}

// NewServer returns a server that posts change events to hookURL (if set).
func NewServer(log *slog.Logger, hookURL string) *Server {
	s := &Server{
		log:     log,
		store:   syncx.NewMap[string, []byte](64),
		client:  &http.Client{Timeout: 10 * time.Second},
		hookURL: hookURL,
	}
	s.render = s.renderReport
	return s
}

// Routes returns the server's handler with its middleware.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /kv/{key}", s.handleGet)
	mux.HandleFunc("PUT /kv/{key}", s.handlePut)
	mux.HandleFunc("POST /upload/{key}", s.handleUpload)
	mux.HandleFunc("DELETE /kv/{key}", s.handleDelete)
	mux.HandleFunc("GET /export", s.handleExport)
	mux.HandleFunc("POST /import", s.handleImport)
	mux.HandleFunc("GET /report", s.handleReport)
	mux.HandleFunc("GET /summary/{id}", s.handleSummary)
	mux.HandleFunc("GET /multi", s.handleMulti)
	mux.HandleFunc("POST /bulk", s.handleBulk)
	mux.HandleFunc("POST /bulk-safe", s.handleBulkSafe)
	mux.HandleFunc("GET /bundle", s.handleBundle)
	return Chain(mux, Recover(s.log), Logging(s.log), Timeout(30*time.Second))
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	v, ok := s.store.Load(r.PathValue("key"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(v)
}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	s.store.Store(r.PathValue("key"), body)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer s.notify(r.Context(), "upload", key) // HAZ defer-blocking-call
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.store.Store(key, body)
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if _, ok := s.store.LoadAndDelete(key); !ok {
		http.NotFound(w, r)
		return
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Second)
		defer cancel()
		s.notify(ctx, "delete", key)
	}()
	w.WriteHeader(http.StatusNoContent)
}

// notify posts a change event to the hook URL. Failures are logged only.
func (s *Server) notify(ctx context.Context, event, key string) {
	if s.hookURL == "" {
		return
	}
	body := fmt.Sprintf(`{"event":%q,"key":%q}`, event, key)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.hookURL, strings.NewReader(body))
	if err != nil {
		s.log.Warn("hook request", "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		s.log.Warn("hook post", "err", err)
		return
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
}

// logPanic logs a handler panic and answers 500.
func (s *Server) logPanic(w http.ResponseWriter, r *http.Request) {
	if rec := recover(); rec != nil { // HAZ recover-ineffective
		s.log.Error("panic", "path", r.URL.Path, "panic", rec, "stack", string(debug.Stack()))
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// handlePanic is logPanic meant to be deferred directly.
func (s *Server) handlePanic(w http.ResponseWriter, r *http.Request) {
	if rec := recover(); rec != nil {
		if rec == http.ErrAbortHandler {
			panic(rec)
		}
		s.log.Error("panic", "path", r.URL.Path, "panic", rec)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	defer func() { s.logPanic(w, r) }()
	out := make(map[string]string)
	for k, v := range s.store.All() {
		out[k] = string(v)
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(out); err != nil {
		s.log.Warn("export", "err", err)
	}
}

func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	defer s.handlePanic(w, r)
	var in map[string]string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for k, v := range in {
		s.store.Store(k, []byte(v))
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) renderReport(ctx context.Context, id string) ([]byte, error) {
	keys := 0
	size := 0
	for _, v := range s.store.All() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		keys++
		size += len(v)
	}
	return fmt.Appendf(nil, "report %s: %d keys, %d bytes\n", id, keys, size), nil
}

// handleReport starts rendering while the request is validated.
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	ch := make(chan []byte)
	go func() {
		b, err := s.render(r.Context(), id)
		if err != nil {
			b = nil
		}
		ch <- b // HAZ goroutine-blocked-send
	}()
	if id == "" || strings.ContainsAny(id, "/\\") {
		http.Error(w, "bad report id", http.StatusBadRequest)
		return
	}
	b := <-ch
	if b == nil {
		http.Error(w, "report failed", http.StatusInternalServerError)
		return
	}
	_, _ = w.Write(b)
}

// handleSummary is handleReport with a buffered result channel: the
// renderer can always deliver and exit, even after a bad request.
func (s *Server) handleSummary(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ch := make(chan async.Result[[]byte], 1)
	go func() {
		b, err := s.render(r.Context(), id)
		ch <- async.Result[[]byte]{Val: b, Err: err}
	}()
	if strings.ContainsAny(id, "/\\") {
		http.Error(w, "bad summary id", http.StatusBadRequest)
		return
	}
	select {
	case res := <-ch:
		if res.Err != nil {
			http.Error(w, res.Err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write(res.Val)
	case <-r.Context().Done():
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

// handleMulti renders several reports concurrently and joins every
// goroutine before writing the response.
func (s *Server) handleMulti(w http.ResponseWriter, r *http.Request) {
	ids := r.URL.Query()["id"]
	parts, err := group.MapSlice(r.Context(), ids, s.render)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for _, p := range parts {
		_, _ = w.Write(p)
	}
}

// OnChange sets a callback run in the background after bulk changes. It is
// caller code and may panic.
func (s *Server) OnChange(fn func(event, key string)) {
	s.onChange = fn
}

// handleBulk stores every entry of a JSON object and runs the change
// callback in the background.
func (s *Server) handleBulk(w http.ResponseWriter, r *http.Request) {
	defer s.handlePanic(w, r)
	var in map[string]string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for k, v := range in {
		s.store.Store(k, []byte(v))
	}
	if cb := s.onChange; cb != nil {
		go func() { // HAZ goroutine-outside-recover
			for k := range in {
				cb("put", k)
			}
		}()
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleBulkSafe is handleBulk whose background goroutine has its own
// recover, since the handler's cannot reach it.
func (s *Server) handleBulkSafe(w http.ResponseWriter, r *http.Request) {
	defer s.handlePanic(w, r)
	var in map[string]string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for k, v := range in {
		s.store.Store(k, []byte(v))
	}
	if cb := s.onChange; cb != nil {
		go func() {
			defer func() {
				if rec := recover(); rec != nil {
					s.log.Error("change callback panic", "panic", rec)
				}
			}()
			for k := range in {
				cb("put", k)
			}
		}()
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleBundle sends the whole store as a zip archive built in a scratch
// directory.
func (s *Server) handleBundle(w http.ResponseWriter, r *http.Request) {
	dir, err := os.MkdirTemp("", "bundle-*")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call
	var names []string
	for k, v := range s.store.All() {
		p := filepath.Join(dir, url.PathEscape(k))
		if err := os.WriteFile(p, v, 0o600); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		names = append(names, p)
	}
	zp := filepath.Join(dir, "bundle.zip")
	if err := fsx.ZipFiles(zp, names); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	http.ServeFile(w, r, zp)
}
