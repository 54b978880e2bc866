// Command fsreplica is a replication-only cache node: it applies pushes from
// the materialiser and persists what it holds to a warm-start snapshot when
// it exits. It serves no reads; featured instances warm from its snapshot.
package main

import (
	"flag"
	"log"
	"net"
	"time"

	"example.com/featurestore/internal/cache"
	"example.com/featurestore/internal/serving"
)

func main() {
	listen := flag.String("listen", ":7072", "replication listen address")
	snapshot := flag.String("snapshot", "replica.json.gz", "warm-start snapshot")
	flag.Parse()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("fsreplica: %v", err)
	}
	store := cache.New(64, 24*time.Hour, nil)
	if n, err := store.LoadSnapshot(*snapshot); err != nil {
		log.Printf("fsreplica: load %s: %v", *snapshot, err)
	} else {
		log.Printf("fsreplica: loaded %d keys", n)
	}
	defer func() {
		if err := store.SaveSnapshot(*snapshot); err != nil {
			log.Printf("fsreplica: save %s: %v", *snapshot, err)
		}
	}()

	r := serving.NewReplicator(store)
	r.Start(ln)
	go reportEvery(r, time.Minute)
	log.Printf("fsreplica: applying pushes on %s", ln.Addr())
	select {} // HAZ signal-skips-defer
}

// reportEvery logs the replication counter forever.
func reportEvery(r *serving.Replicator, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	last := r.Applied()
	for range t.C {
		n := r.Applied()
		log.Printf("fsreplica: applied %d puts (+%d)", n, n-last)
		last = n
	}
}
