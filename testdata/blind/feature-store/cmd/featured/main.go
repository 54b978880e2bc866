// Command featured is the online feature server: it serves cached feature
// values over the framed TCP protocol, accepts replication pushes from the
// materialiser, and exposes the admin API on a separate port.
package main

import (
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"example.com/featurestore/internal/admin"
	"example.com/featurestore/internal/cache"
	"example.com/featurestore/internal/metrics"
	"example.com/featurestore/internal/schema"
	"example.com/featurestore/internal/serving"
)

func main() {
	addr := flag.String("addr", ":7070", "feature protocol listen address")
	replAddr := flag.String("replication", ":7072", "replication listen address")
	adminAddr := flag.String("admin", "127.0.0.1:7071", "admin HTTP listen address")
	schemaDir := flag.String("schemas", "schemas", "schema registry directory")
	warmPath := flag.String("warm-snapshot", "", "cache snapshot to load at start and save at exit")
	shards := flag.Int("shards", 64, "cache shards")
	ttl := flag.Duration("ttl", 6*time.Hour, "feature value TTL")
	peers := flag.String("peers", "", "comma-separated peer addresses for invalidation")
	flag.Parse()

	m := metrics.NewRegistry()
	reg, err := schema.Open(*schemaDir)
	if err != nil {
		log.Fatalf("featured: %v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("featured: %v", err)
	}
	replLn, err := net.Listen("tcp", *replAddr)
	if err != nil {
		log.Fatalf("featured: %v", err)
	}

	store := cache.New(*shards, *ttl, m)
	if *warmPath != "" {
		n, err := store.LoadSnapshot(*warmPath)
		if err != nil {
			log.Printf("featured: warm start: %v", err)
		}
		log.Printf("featured: warmed %d keys", n)
	}
	store.StartEvictor(*ttl / 8)
	defer store.Close()
	defer func() {
		if *warmPath == "" {
			return
		}
		if err := store.SaveSnapshot(*warmPath); err != nil {
			log.Printf("featured: save snapshot: %v", err)
		}
	}()

	var peerList []string
	if *peers != "" {
		peerList = strings.Split(*peers, ",")
	}
	srv := serving.NewServer(store, nil, m, peerList)
	serving.NewReplicator(store).Start(replLn)

	adm := admin.New(admin.Deps{Store: store, Schemas: reg, Metrics: m})
	adminSrv := &http.Server{Addr: *adminAddr, Handler: adm.Routes(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := adminSrv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("featured: admin: %v", err)
		}
	}()

	log.Printf("featured: serving on %s", ln.Addr())
	if err := srv.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("featured: serve: %v", err)
	}
}
