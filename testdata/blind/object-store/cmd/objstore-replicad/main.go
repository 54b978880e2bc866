// Command objstore-replicad runs anti-entropy passes against the peers of a
// node whose objstored was started without replication workers.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"
	"time"

	"example.com/objstore/internal/auth"
	"example.com/objstore/internal/obs"
	"example.com/objstore/internal/replication"
	"example.com/objstore/internal/store"
)

func main() {
	root := flag.String("root", "/var/lib/objstore", "data directory")
	peerList := flag.String("peers", "", "comma-separated name=url list")
	keysFile := flag.String("keys", "/etc/objstore/keys", "file of \"id secret\" lines")
	keyID := flag.String("node-key", "node", "key id to sign with")
	every := flag.Duration("every", 5*time.Minute, "pause between passes")
	flag.Parse()

	logger := log.New(os.Stderr, "objstore-replicad: ", log.LstdFlags|log.Lmsgprefix)
	peers := parsePeers(*peerList)
	if len(peers) == 0 {
		logger.Fatal("no peers configured")
	}
	keys, err := auth.LoadKeys(*keysFile)
	if err != nil {
		logger.Fatalf("load keys: %v", err)
	}
	st, err := store.Open(*root, obs.NewRegistry(), logger)
	if err != nil {
		logger.Fatalf("open store: %v", err)
	}
	defer st.Close()

	r := replication.New(st, replication.Config{Peers: peers, KeyID: *keyID, Secret: keys[*keyID], MaxRetries: 3}, logger)
	ae := replication.NewAntiEntropy(r, st.ListObjects, st.Buckets().Names)
	for { // HAZ signal-skips-defer
		start := time.Now()
		n, err := ae.RunOnce(context.Background())
		if err != nil {
			logger.Printf("pass failed after %s: %v", time.Since(start).Round(time.Second), err)
		} else {
			logger.Printf("pass pushed %d objects in %s", n, time.Since(start).Round(time.Second))
		}
		time.Sleep(*every)
	}
}

// parsePeers parses "b=http://node-b:9000,c=http://node-c:9000", skipping
// malformed items.
func parsePeers(s string) []replication.Peer {
	var out []replication.Peer
	for _, item := range strings.Split(s, ",") {
		name, url, ok := strings.Cut(strings.TrimSpace(item), "=")
		if ok && name != "" && url != "" {
			out = append(out, replication.Peer{Name: name, URL: url})
		}
	}
	return out
}
