// Command seed fills a document store with generated documents, staging
// them in a temporary journal first.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"example.com/up17/internal/journal"
	"example.com/up17/internal/store"
)

// seedDoc is a generated document.
type seedDoc struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// exitf prints a message and exits with code.
func exitf(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "seed: "+format+"\n", args...)
	os.Exit(code)
}

// seed stages n documents in j and replays them into st.
func seed(j *journal.Journal[seedDoc], st *store.Store[seedDoc], n int) error {
	batch := make([]seedDoc, 0, n)
	for i := range n {
		batch = append(batch, seedDoc{ID: fmt.Sprintf("doc-%05d", i), Title: fmt.Sprintf("Generated document %d", i)})
	}
	if err := j.Append(batch...); err != nil {
		return fmt.Errorf("stage: %w", err)
	}
	if _, err := j.Replay(func(d seedDoc) error {
		st.Put(d.ID, d)
		return nil
	}); err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	return st.Sync()
}

func main() {
	statePath := flag.String("state", "docs.json", "store snapshot to fill")
	n := flag.Int("n", 1000, "number of documents")
	flag.Parse()

	st, err := store.Load[seedDoc](*statePath)
	if err != nil {
		exitf(1, "load %s: %v", *statePath, err)
	}
	staging := filepath.Join(os.TempDir(), fmt.Sprintf("seed-%d.journal", os.Getpid()))
	defer os.Remove(staging)

	if err := seed(journal.Open[seedDoc](staging), st, *n); err != nil {
		exitf(1, "%v", err) // HAZ exit-skips-defer
	}
	fmt.Printf("seeded %d documents into %s\n", *n, *statePath)
}
