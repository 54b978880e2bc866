// Command up9d is an up9 storage node.
package main

import (
	"flag"
	"log"
	"net/http"
	"strings"
	"time"

	"example.com/up9/internal/blob"
	"example.com/up9/internal/cache"
	"example.com/up9/internal/server"
)

func splitPeers(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	root := flag.String("root", "/var/lib/up9", "blob directory")
	peers := flag.String("peers", "", "comma-separated peer addresses")
	flag.Parse()

	st, err := blob.Open(*root, blob.Hooks{})
	if err != nil {
		log.Fatalf("up9d: %v", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Printf("up9d: writing manifest: %v", err)
		}
	}()
	c := cache.New(16, 5*time.Minute)
	defer c.Close()

	srv := server.New(st, c, splitPeers(*peers), log.Default())
	log.Printf("up9d: serving %s on %s", *root, *addr)
	log.Fatal(http.ListenAndServe(*addr, srv)) // HAZ signal-skips-defer exit-skips-defer
}
