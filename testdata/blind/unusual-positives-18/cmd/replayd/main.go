// Command replayd accepts records over HTTP and replays the spool on demand.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"

	"example.com/up18/internal/export"
	"example.com/up18/internal/spool"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	dir := flag.String("spool", "/var/spool/up18", "spool directory")
	flag.Parse()

	store, err := spool.OpenStore(*dir)
	if err != nil {
		log.Fatalf("open store: %v", err)
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Printf("close store: %v", err)
		}
	}()

	http.HandleFunc("/append", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		name, err := store.Append(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, name)
	})
	http.HandleFunc("/replay", func(w http.ResponseWriter, r *http.Request) {
		segs, err := store.Segments()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		n, err := export.ReplayAll(segs, func(rec []byte) error {
			_, err := fmt.Fprintf(w, "%s\n", rec)
			return err
		})
		log.Printf("replayed %d records (err=%v)", n, err)
	})

	log.Printf("replayd listening on %s", *addr)
	if err := http.ListenAndServe(*addr, nil); err != nil { // HAZ signal-skips-defer
		log.Printf("serve: %v", err)
	}
}
