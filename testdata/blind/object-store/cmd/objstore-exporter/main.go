// Command objstore-exporter serves the usage of every bucket of a data
// directory in a scrape-friendly text format, refreshed periodically from
// the bucket metadata (for archive nodes that run without objstored).
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"example.com/objstore/internal/obs"
	"example.com/objstore/internal/store"
)

func main() {
	root := flag.String("root", "/var/lib/objstore", "data directory")
	addr := flag.String("addr", "127.0.0.1:9102", "listen address")
	every := flag.Duration("every", time.Minute, "refresh interval")
	flag.Parse()

	logger := log.New(os.Stderr, "objstore-exporter: ", log.LstdFlags|log.Lmsgprefix)
	st, err := store.Open(*root, obs.NewRegistry(), logger)
	if err != nil {
		logger.Fatalf("open store: %v", err)
	}
	defer st.Close()

	var (
		mu   sync.RWMutex
		page []byte
	)
	refresh := func() {
		var buf []byte
		for _, name := range st.Buckets().Names() {
			m, err := st.Buckets().Meta(name)
			if err != nil {
				continue
			}
			buf = fmt.Appendf(buf, "objstore_bucket_bytes{bucket=%q} %d\nobjstore_bucket_objects{bucket=%q} %d\n", name, m.UsedBytes, name, m.Objects)
		}
		mu.Lock()
		page = buf
		mu.Unlock()
	}
	refresh()
	go func() {
		for range time.Tick(*every) {
			refresh()
		}
	}()
	http.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		mu.RLock()
		defer mu.RUnlock()
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		w.Write(page)
	})
	go func() {
		if err := http.ListenAndServe(*addr, nil); err != nil {
			logger.Printf("listen: %v", err)
		}
	}()
	logger.Printf("serving bucket usage on %s", *addr)
	select {} // HAZ signal-skips-defer
}
