// Command up11sweep periodically flushes and compacts the shard files of
// an up11 state directory.
package main

import (
	"flag"
	"log"
	"os"
	"strings"
	"time"

	"example.com/up11/internal/store"
)

func keyOf(line []byte) string {
	k, _, _ := strings.Cut(string(line), "\t")
	return k
}

func main() {
	dir := flag.String("dir", "/var/lib/up11", "state directory")
	every := flag.Duration("every", time.Minute, "sweep interval")
	shards := flag.String("shards", "events,audit", "comma-separated shard names")
	flag.Parse()
	logger := log.New(os.Stderr, "up11sweep ", log.LstdFlags)

	st, err := store.Open(*dir, strings.Split(*shards, ","))
	if err != nil {
		logger.Fatal(err)
	}
	defer func() { // HAZ signal-skips-defer
		if err := st.Checkpoint(); err != nil {
			logger.Printf("final checkpoint: %v", err)
		}
	}()
	for {
		if err := st.Sync(); err != nil {
			logger.Printf("sync: %v", err)
		}
		if err := st.CompactAll(keyOf); err != nil {
			logger.Printf("compact: %v", err)
		}
		time.Sleep(*every)
	}
}
