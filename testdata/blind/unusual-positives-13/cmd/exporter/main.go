// Command exporter serves on-demand catalog exports for the archive team.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"time"

	"example.com/up13/internal/catalog"
	"example.com/up13/internal/export"
	"example.com/up13/internal/trace"
)

// newMux wires the export endpoints.
func newMux(ex *export.Exporter, cat *catalog.Catalog, rec *trace.Recorder) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/export", func(w http.ResponseWriter, r *http.Request) {
		tag := r.URL.Query().Get("tag")
		if tag == "" {
			http.Error(w, "missing tag", http.StatusBadRequest)
			return
		}
		if err := ex.ExportCSV(tag); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(map[string]any{"assets": cat.Len(), "spans": rec.Summary()}); err != nil {
			log.Printf("exporter: stats: %v", err)
		}
	})
	return mux
}

func main() {
	addr := flag.String("listen", ":9090", "listen address")
	dir := flag.String("dir", "/var/lib/exports", "export directory")
	flag.Parse()

	lease, err := export.AcquireLease(*dir)
	if err != nil {
		log.Fatalf("exporter: %v", err)
	}
	defer lease.Release()

	rec := trace.NewRecorder()
	cat := catalog.New()
	ex := export.NewExporter(cat, *dir, rec)
	srv := &http.Server{Addr: *addr, Handler: newMux(ex, cat, rec), ReadHeaderTimeout: 5 * time.Second}
	log.Printf("exporter: serving %s on %s", *dir, *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("exporter: %v", err)
	}
}
