// Command docserve serves the generated API docs of a checkout for local
// browsing, and holds the docs tree's lock file so that a concurrent
// "gentool generate" does not rewrite pages mid-request.
package main

import (
	"flag"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"example.com/fah24/internal/lockfile"
)

var indexTmpl = template.Must(template.New("index").Parse(
	`<!doctype html><title>docs</title><ul>{{range .}}<li><a href="/pages/{{.}}">{{.}}</a></li>{{end}}</ul>`))

func main() {
	addr := flag.String("addr", "localhost:6060", "listen `address`")
	dir := flag.String("dir", "gen/docs", "generated docs `directory`")
	flag.Parse()
	pages, err := listPages(*dir)
	if err != nil {
		log.Fatal(err)
	}
	lock, err := lockfile.Acquire(filepath.Join(*dir, ".gentool.lock"), 0)
	if err != nil {
		log.Fatal(err)
	}
	defer lock.Release()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", indexHandler(pages))
	mux.Handle("GET /pages/", http.StripPrefix("/pages/", http.FileServer(http.Dir(*dir))))
	log.Printf("serving %d pages from %s on http://%s/", len(pages), *dir, *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil { // HAZ signal-skips-defer
		log.Print(err)
	}
}

// listPages returns the .html files of dir, sorted.
func listPages(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read docs: %w", err)
	}
	var pages []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".html") {
			pages = append(pages, e.Name())
		}
	}
	slices.Sort(pages)
	return pages, nil
}

func indexHandler(pages []string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := indexTmpl.Execute(w, pages); err != nil {
			log.Printf("index: %v", err)
		}
	}
}
