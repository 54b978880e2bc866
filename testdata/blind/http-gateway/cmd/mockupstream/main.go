// Command mockupstream serves canned JSON responses from a directory. It
// stands in for real backends in local development and load tests.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

type responses struct {
	byPath map[string][]byte
	delay  time.Duration
	served atomic.Int64
}

// loadResponses maps "/a/b" to the contents of dir/a/b.json.
func loadResponses(dir string) (*responses, error) {
	r := &responses{byPath: make(map[string][]byte)}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, strings.TrimSuffix(path, ".json"))
		if err != nil {
			return err
		}
		r.byPath["/"+filepath.ToSlash(rel)] = data
		return nil
	})
	return r, err
}

func (r *responses) serve(w http.ResponseWriter, req *http.Request) {
	body, ok := r.byPath[req.URL.Path]
	if !ok {
		http.NotFound(w, req)
		return
	}
	if r.delay > 0 {
		select {
		case <-time.After(r.delay):
		case <-req.Context().Done():
			return
		}
	}
	r.served.Add(1)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

func (r *responses) healthz(w http.ResponseWriter, _ *http.Request) {
	fmt.Fprintf(w, "ok %d\n", r.served.Load())
}

func writePID(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

func main() {
	dir := flag.String("dir", "testdata/responses", "directory of canned responses")
	addr := flag.String("addr", ":9000", "listen address")
	pidFile := flag.String("pidfile", "/tmp/mockupstream.pid", "pid file")
	delay := flag.Duration("delay", 0, "artificial latency per response")
	flag.Parse()

	r, err := loadResponses(*dir)
	if err != nil {
		log.Fatalf("mockupstream: %v", err)
	}
	r.delay = *delay
	if err := writePID(*pidFile); err != nil {
		log.Fatalf("mockupstream: %v", err)
	}
	defer os.Remove(*pidFile)

	http.HandleFunc("/", r.serve)
	http.HandleFunc("/healthz", r.healthz)
	log.Printf("mockupstream: %d responses on %s", len(r.byPath), *addr)
	log.Fatal(http.ListenAndServe(*addr, nil)) // HAZ exit-skips-defer signal-skips-defer
}
