// Command cache-server mirrors the Widget cache for sidecars: it serves it
// over HTTP and over the line protocol of cache.StreamServer, and keeps a
// snapshot on disk for fast restarts.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"example.com/k8scontrollers/pkg/cache"
	"example.com/k8scontrollers/pkg/client"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "HTTP listen address")
	streamAddr := flag.String("stream-addr", "127.0.0.1:8091", "stream protocol listen address")
	apiServer := flag.String("server", "https://kubernetes.default.svc", "API server URL")
	snapshot := flag.String("snapshot", "/var/lib/widget-cache/snapshot.json.gz", "snapshot file")
	flag.Parse()
	logger := log.New(os.Stderr, "cache-server ", log.LstdFlags|log.Lmsgprefix)

	store := cache.NewStore(cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	if err := store.LoadSnapshot(*snapshot); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Fatalf("cache-server: load snapshot: %v", err)
	}
	defer func() {
		if err := store.WriteSnapshot(*snapshot); err != nil {
			logger.Printf("write snapshot: %v", err)
		}
	}()

	c, err := client.New(*apiServer, os.Getenv("WIDGET_TOKEN"))
	if err != nil {
		logger.Printf("client: %v", err)
		return
	}
	inf := cache.NewInformer(c.ListerWatcher(""), store, 0, logger)
	go inf.RunForever()

	ln, err := net.Listen("tcp", *streamAddr)
	if err != nil {
		logger.Printf("listen: %v", err)
		return
	}
	ss := cache.NewStreamServer(store, logger)
	go func() {
		if err := ss.Serve(context.Background(), ln); err != nil {
			logger.Printf("stream server: %v", err)
		}
	}()
	httpSrv := &http.Server{Addr: *addr, Handler: newMux(store), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		logger.Printf("http server: %v", httpSrv.ListenAndServe())
	}()
	select {} // HAZ signal-skips-defer
}

func newMux(store *cache.Store) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /widgets", handleList(store))
	mux.HandleFunc("GET /widgets/{namespace}/{name}", handleGet(store))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	return mux
}

func handleList(store *cache.Store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		objs := store.List()
		if ns := r.URL.Query().Get("namespace"); ns != "" {
			keys, err := store.IndexKeys(cache.NamespaceIndex, ns)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			objs = objs[:0]
			for _, k := range keys {
				if obj, ok := store.Get(k); ok {
					objs = append(objs, obj)
				}
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(objs); err != nil {
			log.Printf("cache-server: encode list: %v", err)
		}
	}
}

func handleGet(store *cache.Store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.PathValue("namespace") + "/" + r.PathValue("name")
		obj, ok := store.Get(key)
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(obj); err != nil {
			log.Printf("cache-server: encode %s: %v", key, err)
		}
	}
}
