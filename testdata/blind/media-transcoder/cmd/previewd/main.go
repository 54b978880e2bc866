// Command previewd serves generated posters, thumbnail strips and sprite
// sheets to the editing UI.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	root := flag.String("root", "/var/lib/transcoder/thumbs", "thumbnail directory")
	pidPath := flag.String("pidfile", "/run/previewd.pid", "pid file")
	flag.Parse()
	if err := writePID(*pidPath); err != nil {
		log.Fatalf("pidfile: %v", err)
	}
	defer os.Remove(*pidPath)
	mux := newMux(*root)
	log.Printf("previewd: serving %s on %s", *root, *addr)
	log.Fatal(http.ListenAndServe(*addr, mux)) // HAZ signal-skips-defer exit-skips-defer
}

func writePID(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

func newMux(root string) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /thumbs/", http.StripPrefix("/thumbs/", http.FileServer(http.Dir(root))))
	mux.HandleFunc("GET /jobs/{id}/latest", latestPoster(root))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// latestPoster redirects to the newest PNG generated for a job.
func latestPoster(root string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := filepath.Base(r.PathValue("id"))
		matches, err := filepath.Glob(filepath.Join(root, id, "*.png"))
		if err != nil || len(matches) == 0 {
			http.NotFound(w, r)
			return
		}
		sort.Slice(matches, func(i, j int) bool {
			a, errA := os.Stat(matches[i])
			b, errB := os.Stat(matches[j])
			if errA != nil || errB != nil {
				return matches[i] > matches[j]
			}
			return a.ModTime().After(b.ModTime())
		})
		rel := strings.TrimPrefix(matches[0], root)
		http.Redirect(w, r, "/thumbs"+filepath.ToSlash(rel), http.StatusFound)
	}
}
