// Command replayd serves recorded replays to the web client's replay viewer.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/gamesrv/internal/snapshot"
)

type replayServer struct {
	dir    string
	access *log.Logger
}

func main() {
	addr := flag.String("listen", ":8081", "HTTP address")
	dir := flag.String("dir", "data/replays", "replay directory")
	accessLog := flag.String("access-log", "replayd-access.log", "access log file")
	flag.Parse()

	f, err := os.OpenFile(*accessLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		log.Fatalf("replayd: %v", err)
	}
	defer func() {
		if err := f.Close(); err != nil {
			log.Printf("replayd: closing access log: %v", err)
		}
	}()
	rs := &replayServer{dir: *dir, access: log.New(f, "", log.LstdFlags)}

	mux := http.NewServeMux()
	mux.HandleFunc("/replays", rs.handleList)
	mux.HandleFunc("/replays/", rs.handleGet)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("replayd: serving %s on %s", *dir, *addr)
	log.Fatal(srv.ListenAndServe()) // HAZ exit-skips-defer signal-skips-defer
}

// handleList returns the replays with their frame counts, newest first.
func (rs *replayServer) handleList(w http.ResponseWriter, r *http.Request) {
	paths, err := filepath.Glob(filepath.Join(rs.dir, "*.replay.gz"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	type item struct {
		Match  string `json:"match"`
		Frames int    `json:"frames"`
	}
	items := make([]item, 0, len(paths))
	for _, p := range paths {
		info, err := snapshot.Inspect(p)
		if err != nil {
			continue
		}
		items = append(items, item{Match: strings.TrimSuffix(filepath.Base(p), ".replay.gz"), Frames: info.Frames})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Match > items[j].Match })
	rs.access.Printf("%s list %d", r.RemoteAddr, len(items))
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(items); err != nil {
		log.Printf("replayd: %v", err)
	}
}

// handleGet streams one replay file.
func (rs *replayServer) handleGet(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/replays/")
	if id == "" || strings.ContainsAny(id, `/\.`) {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(filepath.Join(rs.dir, id+".replay.gz"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	rs.access.Printf("%s get %s", r.RemoteAddr, id)
	w.Header().Set("Content-Type", "application/gzip")
	http.ServeContent(w, r, id+".replay.gz", st.ModTime(), f)
}
