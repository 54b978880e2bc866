// Command blockserve serves a read-only view of a stopped tsdbd's data
// directory over HTTP: the raw block files and their metadata, for remote
// debugging. It holds the data directory lock so that tsdbd cannot start
// and rewrite blocks underneath it.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"example.com/tsdb/block"
	"example.com/tsdb/internal/fileutil"
)

func main() {
	dir := flag.String("data", "data", "data directory")
	addr := flag.String("listen", ":9191", "listen address")
	flag.Parse()

	lock, err := fileutil.LockDir(*dir)
	if err != nil {
		log.Fatalf("blockserve: %v", err)
	}
	defer lock.Release()

	mux := http.NewServeMux()
	mux.Handle("GET /blocks/", http.StripPrefix("/blocks/", http.FileServer(http.Dir(*dir))))
	mux.HandleFunc("GET /meta", metaHandler(*dir))
	log.Printf("blockserve: serving %s on %s", *dir, *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("blockserve: %v", err)
	}
}

// metaHandler returns every block's meta.json as one JSON array.
func metaHandler(dir string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		metas := []*block.Meta{}
		for _, e := range entries {
			if !e.IsDir() || !block.IsULID(e.Name()) {
				continue
			}
			m, err := block.ReadMeta(filepath.Join(dir, e.Name()))
			if err != nil {
				log.Printf("blockserve: %s: %v", e.Name(), err)
				continue
			}
			metas = append(metas, m)
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(metas); err != nil {
			log.Printf("blockserve: encode: %v", err)
		}
	}
}
