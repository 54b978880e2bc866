// Command ingestd serves the ingest API on top of a local store.
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"strings"

	"example.com/up23/internal/ingest"
	"example.com/up23/internal/store"
)

func splitPeers(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.TrimRight(p, "/"))
		}
	}
	return out
}

func main() {
	addr := flag.String("addr", ":8428", "listen address")
	dir := flag.String("data", "data", "data directory")
	shards := flag.Int("shards", 8, "number of in-memory shards")
	peers := flag.String("peers", "", "comma-separated replica base URLs")
	flag.Parse()

	logger := log.New(os.Stderr, "ingestd ", log.LstdFlags|log.Lmsgprefix)
	st, err := store.Open(*dir, *shards, logger)
	if err != nil {
		logger.Fatalf("open store: %v", err)
	}
	if n, err := st.Replay(); err != nil {
		logger.Fatalf("replay: %v", err)
	} else {
		logger.Printf("replayed %d points", n)
	}
	defer func() {
		if err := st.Close(); err != nil {
			logger.Printf("close store: %v", err)
		}
	}()

	srv := ingest.NewServer(st, logger, splitPeers(*peers))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Printf("listen: %v", err)
		return
	}
	logger.Printf("listening on %s", ln.Addr())
	if err := http.Serve(ln, srv.Handler()); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
