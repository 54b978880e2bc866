// Command replay periodically re-indexes the journal into the tracer report.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"example.com/up22/internal/store"
	"example.com/up22/internal/trace"
)

func main() {
	every := flag.Duration("every", time.Minute, "replay interval")
	flag.Parse()
	if flag.NArg() != 1 {
		usage()
	}

	logger := log.New(os.Stderr, "replay: ", log.LstdFlags)
	st, err := store.Open(flag.Arg(0), logger)
	if err != nil {
		logger.Fatalf("open: %v", err)
	}
	defer st.Close()
	defer logger.Printf("replay of %s stopped", flag.Arg(0))
	tr := trace.New()

	tick := time.NewTicker(*every)
	defer tick.Stop()
	for range tick.C { // HAZ signal-skips-defer
		if err := replayOnce(st, tr); err != nil {
			logger.Printf("replay: %v", err)
		}
	}
}

// usage prints the synopsis and exits with status 2.
func usage() {
	fmt.Fprintln(os.Stderr, "usage: replay [-every d] DIR")
	os.Exit(2)
}

func replayOnce(st *store.Store, tr *trace.Tracer) error {
	sp := tr.Start("replay")
	defer sp.End()
	lines, err := st.Journal()
	if err != nil {
		return err
	}
	var keys []string
	for _, l := range lines {
		if k, ok := strings.CutPrefix(l, "put "); ok {
			keys = append(keys, k)
		}
	}
	return st.WriteManifest(keys)
}
