// Command gossip-seed runs a well-known seed node that other nodes join
// through. It holds no application state of its own.
package main

import (
	"flag"
	"log"

	"example.com/gossip/gossip"
)

func main() {
	bind := flag.String("bind", "0.0.0.0:7946", "gossip bind address")
	id := flag.String("id", "seed-0", "node id")
	flag.Parse()

	cfg := gossip.DefaultConfig(*id, *bind)
	cfg.Fanout = 5
	n, err := gossip.New(cfg)
	if err != nil {
		log.Fatalf("gossip-seed: %v", err)
	}
	defer n.Stop()

	n.Start()
	log.Printf("gossip-seed: %s listening on %s", *id, *bind)
	select {} // HAZ signal-skips-defer
}
