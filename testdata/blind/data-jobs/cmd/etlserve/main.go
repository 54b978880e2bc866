// Command etlserve accepts batch uploads over HTTP.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/etl/fsutil"
	"example.com/etl/progress"
	"example.com/etl/transfer"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dir := flag.String("dir", "spool", "upload directory")
	webhook := flag.String("webhook", "", "URL notified about stored files")
	flag.Parse()

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err) // ok: nothing deferred yet
	}
	release, err := fsutil.LockFile(filepath.Join(*dir, ".etlserve.lock"))
	if err != nil {
		log.Fatalf("etlserve: %v", err) // ok: nothing deferred yet
	}
	defer release()

	tracker := progress.NewTracker()
	defer tracker.Close()

	client := &http.Client{Timeout: 10 * time.Second}
	recv := &transfer.Receiver{Dir: *dir, MaxBytes: 1 << 30, Webhook: *webhook, Client: client, Tracker: tracker}
	mux := http.NewServeMux()
	mux.Handle("POST /upload", recv)
	mux.HandleFunc("DELETE /upload", recv.HandleDelete)
	mux.Handle("POST /extract", &transfer.ExtractHandler{Scratch: os.TempDir()})
	mux.Handle("POST /sha256", &transfer.ChecksumHandler{Timeout: time.Minute})
	mux.Handle("GET /status", &transfer.StatusHandler{Tracker: tracker})

	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("etlserve: listening on %s, storing into %s", *addr, *dir)
	err = srv.ListenAndServe() // HAZ signal-skips-defer
	log.Printf("etlserve: %v", err)
}
