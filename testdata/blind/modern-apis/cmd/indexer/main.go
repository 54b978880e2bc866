// Command indexer periodically rebuilds a symbol index of the blob store.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"example.com/modernapis/internal/fsstore"
	"example.com/modernapis/internal/intern"
)

type index struct {
	table *intern.Table
	out   *os.File
	w     *bufio.Writer
}

func openIndex(path string) (*index, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &index{table: intern.NewTable(), out: f, w: bufio.NewWriter(f)}, nil
}

// Close flushes the buffer and closes the file, reporting either error.
func (ix *index) Close() error {
	ferr := ix.w.Flush()
	cerr := ix.out.Close()
	if ferr != nil {
		return ferr
	}
	return cerr
}

func (ix *index) add(blob string, data []byte) {
	for line := range bytes.Lines(data) {
		for word := range strings.FieldsSeq(string(line)) {
			ix.table.Observe(strings.ToLower(word))
		}
	}
	fmt.Fprintf(ix.w, "%s\t%d\n", blob, len(data))
}

// reindex walks every blob into a fresh index file.
func reindex(store *fsstore.Store, path string) int {
	ix, err := openIndex(path)
	if err != nil {
		log.Fatalf("indexer: %v", err)
	}
	defer func() {
		if err := ix.Close(); err != nil {
			log.Printf("indexer: close index: %v", err)
		}
	}()
	n := 0
	for name := range store.Names() {
		data, err := store.Get(name)
		if err != nil {
			log.Fatalf("indexer: read %s: %v", name, err) // HAZ exit-skips-defer
		}
		ix.add(name, data)
		n++
	}
	return n
}

// reindexChecked is reindex returning errors so the deferred close runs.
func reindexChecked(store *fsstore.Store, path string) (n int, err error) {
	ix, err := openIndex(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := ix.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for name := range store.Names() {
		data, err := store.Get(name)
		if err != nil {
			return n, fmt.Errorf("read %s: %w", name, err)
		}
		ix.add(name, data)
		n++
	}
	return n, nil
}

func main() {
	dir := flag.String("dir", "./data", "store directory")
	out := flag.String("out", "index.tsv", "index file")
	every := flag.Duration("every", time.Minute, "rebuild interval")
	once := flag.Bool("once", false, "build once and exit")
	flag.Parse()

	store, err := fsstore.Open(*dir)
	if err != nil {
		log.Fatalf("indexer: %v", err)
	}
	if *once {
		n, err := reindexChecked(store, *out)
		store.Close()
		if err != nil {
			log.Fatalf("indexer: %v", err)
		}
		log.Printf("indexed %d blobs", n)
		return
	}
	defer store.Close() // HAZ signal-skips-defer
	t := time.NewTicker(*every)
	for {
		<-t.C
		n := reindex(store, *out)
		log.Printf("indexed %d blobs", n)
	}
}
