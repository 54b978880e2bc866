package main

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/pack"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/repo"
)

type server struct {
	repo    *repo.Repo
	maxPush int64
	logger  *log.Logger

	infoMu sync.Mutex // serialises rewrites of info/refs
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/info/refs", s.handleInfoRefs)
	mux.HandleFunc("/objects/", s.handleObject)
	mux.HandleFunc("/pack", s.handlePack)
	mux.HandleFunc("/receive", s.handleReceive)
	mux.HandleFunc("/refs/update", s.handleUpdateRef)
	mux.HandleFunc("/refs/batch", s.handleBatchUpdate)
	mux.HandleFunc("/health", s.handleHealth)
	mux.HandleFunc("/archive", s.handleArchive)
	mux.HandleFunc("/kinds", s.handleKinds)
	mux.HandleFunc("/tree.json", s.handleTreeJSON)
	return s.logRequests(s.recoverPanics(mux))
}

func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		defer func() {
			s.logger.Printf("%s %s %s", req.Method, req.URL.Path, time.Since(start))
		}()
		next.ServeHTTP(w, req)
	})
}

func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				s.logger.Printf("panic serving %s: %v", req.URL.Path, rec)
				http.Error(w, "internal server error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, req)
	})
}

func (s *server) handleHealth(w http.ResponseWriter, req *http.Request) {
	if _, err := s.repo.Refs.Resolve("HEAD"); err != nil && !errors.Is(err, refs.ErrNotFound) {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

func (s *server) handleInfoRefs(w http.ResponseWriter, req *http.Request) {
	all, err := s.repo.Refs.List("refs/")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, name := range names {
		fmt.Fprintf(w, "%s %s\n", all[name], name)
	}
}

func (s *server) handleObject(w http.ResponseWriter, req *http.Request) {
	id, err := object.ParseID(strings.TrimPrefix(req.URL.Path, "/objects/"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if req.Method == http.MethodHead {
		if !s.repo.Objects.Has(id) {
			w.WriteHeader(http.StatusNotFound)
		}
		return
	}
	kind, data, err := s.repo.Objects.Read(id)
	if errors.Is(err, object.ErrNotFound) {
		http.NotFound(w, req)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("X-Object-Kind", kind.String())
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.Write(data)
}

func parseWants(req *http.Request) ([]object.ID, error) {
	if err := req.ParseForm(); err != nil {
		return nil, err
	}
	var wants []object.ID
	for _, hex := range req.Form["want"] {
		id, err := object.ParseID(hex)
		if err != nil {
			return nil, err
		}
		wants = append(wants, id)
	}
	if len(wants) == 0 {
		return nil, errors.New("no wants")
	}
	return wants, nil
}

// buildPack packs wants into memory.
func (s *server) buildPack(wants []object.ID) ([]byte, error) {
	var buf bytes.Buffer
	pw, err := pack.NewWriter(&buf, uint32(len(wants)), zlib.BestSpeed)
	if err != nil {
		return nil, err
	}
	for _, id := range wants {
		kind, data, err := s.repo.Objects.Read(id)
		if err != nil {
			return nil, err
		}
		if _, err := pw.Add(kind, data); err != nil {
			return nil, err
		}
	}
	if _, _, err := pw.Finish(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (s *server) handlePack(w http.ResponseWriter, req *http.Request) {
	wants, err := parseWants(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	type built struct {
		data []byte
		err  error
	}
	done := make(chan built)
	go func() {
		data, err := s.buildPack(wants)
		done <- built{data, err} // HAZ goroutine-blocked-send
	}()
	select {
	case b := <-done:
		if b.err != nil {
			http.Error(w, b.err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-vcs-pack")
		w.Write(b.data)
	case <-req.Context().Done():
		s.logger.Printf("pack: client went away: %v", req.Context().Err())
	}
}

// saveBody copies at most limit bytes of body into a new file at path.
func saveBody(path string, body io.Reader, limit int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(body, limit+1))
	if err != nil {
		f.Close()
		return err
	}
	if n > limit {
		f.Close()
		return fmt.Errorf("push larger than %d bytes", limit)
	}
	return f.Close()
}

func (s *server) handleReceive(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	defer req.Body.Close()
	tmp, err := os.MkdirTemp(s.repo.Dir, "incoming-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(tmp) // HAZ defer-blocking-call
	packPath := filepath.Join(tmp, "incoming.pack")
	if err := saveBody(packPath, req.Body, s.maxPush); err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	if err := pack.Checksum(packPath); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n, err := pack.Unpack(packPath, s.repo.Objects)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := s.repo.Hooks.Run(req.Context(), "post-receive"); err != nil {
		s.logger.Printf("receive: %v", err)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]int{"objects": n})
}

func (s *server) handleUpdateRef(w http.ResponseWriter, req *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			s.logger.Printf("update-ref: panic: %v", rec)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	if req.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	name := req.FormValue("ref")
	newID, err := object.ParseID(req.FormValue("new"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	oldID := object.ZeroID
	if v := req.FormValue("old"); v != "" {
		if oldID, err = object.ParseID(v); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	}
	if !s.repo.Objects.Has(newID) {
		http.Error(w, "unknown object "+newID.String(), http.StatusUnprocessableEntity)
		return
	}
	if err := s.repo.Refs.Update(name, newID, oldID); err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, refs.ErrStale) || errors.Is(err, refs.ErrLocked) {
			code = http.StatusConflict
		}
		http.Error(w, err.Error(), code)
		return
	}
	go s.refreshServerInfo() // HAZ goroutine-outside-recover
	w.WriteHeader(http.StatusNoContent)
}

// refreshServerInfo rewrites info/refs for dumb-protocol clients.
func (s *server) refreshServerInfo() {
	s.infoMu.Lock()
	defer s.infoMu.Unlock()
	all, err := s.repo.Refs.List("refs/")
	if err != nil {
		s.logger.Printf("info/refs: %v", err)
		return
	}
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		fmt.Fprintf(&b, "%s\t%s\n", all[name], name)
	}
	dir := filepath.Join(s.repo.Dir, "info")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.logger.Printf("info/refs: %v", err)
		return
	}
	tmp := filepath.Join(dir, "refs.tmp")
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		s.logger.Printf("info/refs: %v", err)
		return
	}
	if err := os.Rename(tmp, filepath.Join(dir, "refs")); err != nil {
		s.logger.Printf("info/refs: %v", err)
	}
}

// runPostUpdate runs the post-update hook with a bounded deadline; used by
// handlers that must not wait on it.
func (s *server) runPostUpdate(names []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.repo.Hooks.Run(ctx, "post-update", names...); err != nil {
		s.logger.Printf("post-update: %v", err)
	}
}

func (s *server) handleBatchUpdate(w http.ResponseWriter, req *http.Request) {
	var updates []struct {
		Ref string `json:"ref"`
		Hex string `json:"new"`
	}
	if err := json.NewDecoder(io.LimitReader(req.Body, 1<<20)).Decode(&updates); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var names []string
	for _, u := range updates {
		id, err := object.ParseID(u.Hex)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := s.repo.Refs.Update(u.Ref, id, object.ZeroID); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		names = append(names, u.Ref)
	}
	go s.runPostUpdate(names)
	w.WriteHeader(http.StatusNoContent)
}

// cleanupSpool removes a temporary archive directory.
func (s *server) cleanupSpool(dir string) {
	if err := os.RemoveAll(dir); err != nil {
		s.logger.Printf("archive: cleanup %s: %v", dir, err)
	}
}

func (s *server) handleArchive(w http.ResponseWriter, req *http.Request) {
	branch := req.URL.Query().Get("ref")
	id, err := s.repo.Refs.Resolve("refs/heads/" + branch)
	if err != nil {
		http.NotFound(w, req)
		return
	}
	dir, err := os.MkdirTemp(s.repo.Dir, "archive-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer s.cleanupSpool(dir) // HAZ defer-blocking-call
	files, err := s.repo.TreeFiles(id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	entries := make([]pack.ArchiveFile, 0, len(files))
	for _, f := range files {
		_, data, err := s.repo.Objects.Read(f.ID)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		entries = append(entries, pack.ArchiveFile{Path: f.Path, Mode: f.Mode, Data: data})
	}
	out := filepath.Join(dir, branch+".tar.gz")
	if err := pack.ExportArchive(out, branch+"/", entries); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", branch+".tar.gz"))
	http.ServeFile(w, req, out)
}

func (s *server) handleKinds(w http.ResponseWriter, req *http.Request) {
	wants, err := parseWants(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	kinds := make([]string, len(wants))
	var wg sync.WaitGroup
	for i, id := range wants {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if kind, _, err := s.repo.Objects.Read(id); err == nil {
				kinds[i] = kind.String()
			}
		}()
		w.Header().Add("X-Requested", id.Short())
	}
	wg.Wait()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(kinds)
}

// recoverJSON answers a panicking JSON handler with a JSON error.
func (s *server) recoverJSON(w http.ResponseWriter) {
	if rec := recover(); rec != nil { // HAZ recover-ineffective
		s.logger.Printf("json handler panic: %v", rec)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		json.NewEncoder(w).Encode(map[string]string{"error": "internal error"})
	}
}

func (s *server) handleTreeJSON(w http.ResponseWriter, req *http.Request) {
	defer func() { s.recoverJSON(w) }()
	id, err := object.ParseID(req.URL.Query().Get("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	t, err := s.repo.ReadTree(id)
	if err != nil {
		http.NotFound(w, req)
		return
	}
	type entry struct {
		Name string `json:"name"`
		Mode string `json:"mode"`
		ID   string `json:"id"`
	}
	out := make([]entry, 0, len(t.Entries))
	for _, e := range t.Entries {
		out = append(out, entry{e.Name, fmt.Sprintf("%06o", e.Mode), e.ID.String()})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}
