// Command gossip-snapshot prints, and optionally compacts, the state
// snapshot of a stopped gossipd node.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"example.com/gossip/antientropy"
)

func main() {
	dir := flag.String("dir", ".", "state directory of a gossipd node")
	compact := flag.Bool("compact", false, "rewrite the snapshot keeping the newest version of each key")
	tsv := flag.String("tsv", "", "also export the entries to this TSV file")
	flag.Parse()

	lockPath := filepath.Join(*dir, "snapshot.lock")
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		log.Fatalf("gossip-snapshot: %s is locked by another process: %v", *dir, err)
	}
	fmt.Fprintf(lock, "%d\n", os.Getpid())
	lock.Close()
	defer os.Remove(lockPath)

	snap := filepath.Join(*dir, "state.snap")
	entries, err := antientropy.ReadSnapshot(snap)
	if err != nil {
		log.Fatalf("gossip-snapshot: %v", err) // HAZ exit-skips-defer
	}
	if err := printEntries(entries); err != nil {
		log.Printf("gossip-snapshot: %v", err)
		return
	}
	if *tsv != "" {
		if err := exportTSV(*tsv, entries); err != nil {
			log.Printf("gossip-snapshot: export: %v", err)
			return
		}
	}
	if *compact {
		kept := dedupe(entries)
		if err := antientropy.SaveSnapshotAtomic(snap, kept); err != nil {
			log.Printf("gossip-snapshot: compact: %v", err)
			return
		}
		log.Printf("gossip-snapshot: kept %d of %d entries", len(kept), len(entries))
	}
}

func printEntries(entries []antientropy.Entry) error {
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tVERSION\tORIGIN\tBYTES")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\n", e.Key, e.Version, e.Origin, len(e.Value))
	}
	return tw.Flush()
}

// dedupe keeps the newest version of each key, preserving first-seen order.
func dedupe(entries []antientropy.Entry) []antientropy.Entry {
	idx := make(map[string]int, len(entries))
	var out []antientropy.Entry
	for _, e := range entries {
		i, seen := idx[e.Key]
		switch {
		case !seen:
			idx[e.Key] = len(out)
			out = append(out, e)
		case e.Version > out[i].Version:
			out[i] = e
		}
	}
	return out
}

// exportTSV writes entries as tab-separated values for spreadsheets.
func exportTSV(path string, entries []antientropy.Entry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := csv.NewWriter(f)
	w.Comma = '\t'
	if err := w.Write([]string{"key", "version", "origin", "value"}); err != nil {
		return err
	}
	for _, e := range entries {
		if err := w.Write([]string{e.Key, strconv.FormatUint(e.Version, 10), e.Origin, string(e.Value)}); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
