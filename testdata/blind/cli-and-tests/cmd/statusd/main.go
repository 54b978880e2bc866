// Command statusd serves a status page and accepts log uploads, which it
// searches for errors.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sync/atomic"
	"time"

	"example.com/clitests/internal/grep"
	"example.com/clitests/internal/pidfile"
)

var (
	started   = time.Now()
	uploads   atomic.Int64
	errorLine = regexp.MustCompile(`\b(ERROR|FATAL|panic:)`)
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	pidPath := flag.String("pidfile", "/tmp/statusd.pid", "pid `file`")
	flag.Parse()

	pf, err := pidfile.Write(*pidPath)
	if err != nil {
		log.Fatalf("statusd: %v", err) // ok: nothing deferred yet
	}
	defer pf.Remove()

	mux := http.NewServeMux()
	mux.HandleFunc("/status", handleStatus)
	mux.HandleFunc("/upload", handleUpload)
	mux.HandleFunc("/upload-async", handleUploadAsync)
	log.Printf("statusd listening on %s", *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("statusd: %v", err)
	}
}

func handleStatus(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"uptime":  time.Since(started).Round(time.Second).String(),
		"uploads": uploads.Load(),
	})
}

// saveBody stores the request body as dir/upload.log.
func saveBody(dir string, body io.Reader) (string, error) {
	p := filepath.Join(dir, "upload.log")
	f, err := os.Create(p)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, io.LimitReader(body, 64<<20))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return p, err
}

// handleUpload stores an uploaded log in a scratch directory, searches it
// and reports the number of error lines.
func handleUpload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	tmp, err := os.MkdirTemp("", "statusd-upload-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(tmp) // HAZ defer-blocking-call
	p, err := saveBody(tmp, r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ms, err := grep.SearchFile(p, errorLine, grep.Options{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	uploads.Add(1)
	fmt.Fprintf(w, "%d error lines\n", len(ms))
}

// handleUploadAsync answers first and removes the scratch directory in a
// goroutine of its own.
func handleUploadAsync(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	tmp, err := os.MkdirTemp("", "statusd-upload-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	p, err := saveBody(tmp, r.Body)
	var n int
	if err == nil {
		var ms []grep.Match
		ms, err = grep.SearchFile(p, errorLine, grep.Options{})
		n = len(ms)
	}
	go os.RemoveAll(tmp) // ok: not deferred, the handler does not wait for it
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	uploads.Add(1)
	fmt.Fprintf(w, "%d error lines\n", n)
}
