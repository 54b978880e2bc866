// Command replay loads the segments of a data directory and prints what it
// found, for checking backups.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"example.com/up23/internal/store"
)

func main() {
	code := 0
	defer func() { os.Exit(code) }()

	dir := flag.String("data", "data", "data directory")
	shards := flag.Int("shards", 8, "number of shards the data was written with")
	top := flag.Int("top", 10, "how many series to list")
	flag.Parse()

	logger := log.New(os.Stderr, "replay ", 0)
	st, err := store.Open(*dir, *shards, logger)
	if err != nil {
		logger.Print(err)
		code = 1
		return
	}
	defer func() {
		if err := st.SaveIndex(); err != nil {
			logger.Printf("save index: %v", err)
			code = 1
		}
	}()
	n, err := st.Replay()
	if err != nil {
		logger.Printf("replay: %v", err)
		code = 1
		return
	}
	fmt.Printf("%d points in %d series\n", n, st.Catalog().Len())
	for _, e := range st.Registry().Top(*top) {
		fmt.Printf("%8d  %s\n", e.Writes, e.Series)
	}
}
