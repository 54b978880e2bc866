// Command hooksink is a webhook receiver for manual testing: it writes every
// payload it receives to a directory and keeps an index of them.
package main

import (
	"flag"
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
)

type sink struct {
	dir   string
	index sync.Map // event id -> index line
}

func newSink(dir string) *sink {
	return &sink{dir: dir}
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	id := r.Header.Get("X-Event-Id")
	if id == "" || strings.ContainsAny(id, `/\`) {
		http.Error(w, "bad or missing X-Event-Id", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := os.WriteFile(filepath.Join(s.dir, id+".json"), body, 0o644); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.index.Store(id, fmt.Sprintf("%s\t%s\t%d", time.Now().UTC().Format(time.RFC3339), id, len(body)))
	w.WriteHeader(http.StatusNoContent)
}

// writeIndex writes the list of received payloads next to them.
func (s *sink) writeIndex() {
	var lines []string
	s.index.Range(func(_, v any) bool {
		lines = append(lines, v.(string))
		return true
	})
	sort.Strings(lines)
	data := strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(s.dir, "index.tsv"), []byte(data), 0o644); err != nil {
		log.Printf("hooksink: writing index: %v", err)
	}
}

func main() {
	addr := flag.String("addr", ":9090", "listen address")
	dir := flag.String("dir", "received", "directory for payloads")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}

	s := newSink(*dir)
	defer s.writeIndex()

	srv := &http.Server{Addr: *addr, Handler: s, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("hooksink: writing payloads to %s", *dir)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("hooksink: %v", err)
	}
}
