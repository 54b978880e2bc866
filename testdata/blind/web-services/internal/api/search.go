package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/websvc/internal/store"
)

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	results := make(chan []store.Item)
	go func() { results <- s.Store.Search(q) }() // HAZ goroutine-blocked-send
	select {
	case items := <-results:
		writeJSON(w, http.StatusOK, items)
	case <-r.Context().Done():
		return
	case <-time.After(2 * time.Second):
		http.Error(w, "search timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleSuggest(w http.ResponseWriter, r *http.Request) {
	prefix := strings.ToLower(r.URL.Query().Get("p"))
	names := make(chan []string, 1) // ok: buffered, the sender never blocks
	go func() {
		var out []string
		for _, it := range s.Store.Search(prefix) {
			if strings.HasPrefix(strings.ToLower(it.Name), prefix) {
				out = append(out, it.Name)
			}
		}
		names <- out
	}()
	select {
	case n := <-names:
		writeJSON(w, http.StatusOK, n)
	case <-time.After(500 * time.Millisecond):
		writeJSON(w, http.StatusOK, []string{})
	}
}

func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.Logger.Printf("import panicked: %v", v)
			http.Error(w, "import failed", http.StatusInternalServerError)
		}
	}()
	var items []store.Item
	if err := json.NewDecoder(r.Body).Decode(&items); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	for _, it := range items {
		if err := s.Store.Put(it); err != nil {
			writeErr(w, err)
			return
		}
	}
	go s.reindex(items) // HAZ goroutine-outside-recover
	writeJSON(w, http.StatusOK, map[string]int{"imported": len(items)})
}

func (s *Server) handleImportSafe(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.Logger.Printf("import panicked: %v", v)
			http.Error(w, "import failed", http.StatusInternalServerError)
		}
	}()
	var items []store.Item
	if err := json.NewDecoder(r.Body).Decode(&items); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	for _, it := range items {
		if err := s.Store.Put(it); err != nil {
			writeErr(w, err)
			return
		}
	}
	go func() {
		defer s.recoverBackground("reindex") // ok: the goroutine has its own recover
		s.reindex(items)
	}()
	writeJSON(w, http.StatusOK, map[string]int{"imported": len(items)})
}

// recoverBackground logs a panic from a background task; deferred directly.
func (s *Server) recoverBackground(task string) {
	if v := recover(); v != nil {
		s.Logger.Printf("background %s panicked: %v", task, v)
	}
}

// reindex warms every imported item.
func (s *Server) reindex(items []store.Item) {
	for _, it := range items {
		s.Store.Warm(it.ID)
	}
}

func (s *Server) handleAvatar(w http.ResponseWriter, r *http.Request) {
	file, hdr, err := r.FormFile("avatar")
	defer file.Close() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, "missing avatar", http.StatusBadRequest)
		return
	}
	if err := s.saveAvatar(r.PathValue("id"), hdr.Filename, file); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// saveAvatar copies src to the avatar directory and reports the close error.
func (s *Server) saveAvatar(id, name string, src io.Reader) (err error) {
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".png" && ext != ".jpg" {
		return fmt.Errorf("unsupported type %q", ext)
	}
	dst, err := os.Create(filepath.Join(s.AvatarDir, filepath.Base(id)+ext))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := dst.Close(); cerr != nil && err == nil {
			err = cerr // ok: err is the named result
		}
	}()
	_, err = io.Copy(dst, src)
	return err
}

func (s *Server) handleExportCSV(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv")
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "name", "updated"})
	for _, it := range s.Store.Search("") {
		cw.Write([]string{it.ID, it.Name, it.Updated.Format(time.RFC3339)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.Logger.Printf("csv export: %v", err)
	}
}
