// Command pushgw is a small push gateway: it accepts batches over HTTP and
// appends them to a rotating file.
package main

import (
	"context"
	"flag"
	"io"
	"log"
	"net/http"
	"time"

	"example.com/obsagent/internal/exporter"
	"example.com/obsagent/internal/pdata"
)

func main() {
	addr := flag.String("addr", ":9091", "listen address")
	path := flag.String("out", "/var/lib/pushgw/batches.log", "output file")
	flag.Parse()

	fexp := exporter.NewFileExporter(*path, 64<<20, 5)
	if err := fexp.Start(context.Background()); err != nil {
		log.Fatalf("pushgw: %v", err) // ok: nothing deferred yet
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := fexp.Shutdown(ctx); err != nil {
			log.Printf("pushgw: flush: %v", err)
		}
	}()

	mux := http.NewServeMux()
	mux.HandleFunc("POST /push", func(w http.ResponseWriter, r *http.Request) {
		data, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		b, err := pdata.DecodeBatch(data)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := fexp.Export(r.Context(), b); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /rotate", func(w http.ResponseWriter, r *http.Request) {
		if err := fexp.Rotate(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})

	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("pushgw: listening on %s, writing %s", *addr, *path)
	err := srv.ListenAndServe() // HAZ signal-skips-defer
	log.Printf("pushgw: %v", err)
}
