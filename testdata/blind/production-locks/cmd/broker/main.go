// Command broker runs the message broker's HTTP ingestion endpoint.
package main

import (
	"bufio"
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// journal is the broker's append-only write-ahead log.
type journal struct {
	mu sync.Mutex
	f  *os.File
	w  *bufio.Writer
}

func openJournal(dir string) (*journal, error) {
	f, err := os.OpenFile(filepath.Join(dir, "journal.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	return &journal{f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

func (j *journal) Append(rec []byte) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.w.Write(rec); err != nil {
		return err
	}
	return j.w.WriteByte('\n')
}

// Shutdown flushes buffered records and closes the file. It runs after the
// server has stopped accepting requests.
func (j *journal) Shutdown() {
	if err := j.w.Flush(); err != nil {
		log.Printf("broker: journal flush: %v", err)
	}
	if err := j.f.Sync(); err != nil {
		log.Printf("broker: journal sync: %v", err)
	}
	if err := j.f.Close(); err != nil {
		log.Printf("broker: journal close: %v", err)
	}
}

func publishHandler(j *journal) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := j.Append(body); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	})
}

func main() {
	addr := flag.String("addr", ":7400", "listen address")
	dir := flag.String("data", "/var/lib/broker", "data directory")
	flag.Parse()

	j, err := openJournal(*dir)
	if err != nil {
		log.Printf("broker: open journal: %v", err)
		os.Exit(1)
	}
	defer j.Shutdown()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("broker: listen: %v", err)
		return
	}
	defer ln.Close()

	mux := http.NewServeMux()
	mux.Handle("/publish", publishHandler(j))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("broker: serving on %s", ln.Addr())
	if err := srv.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("broker: serve: %v", err)
	}
}
