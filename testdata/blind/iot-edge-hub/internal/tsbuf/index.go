package tsbuf

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

// Indexer appends one line per flushed segment to dir/index, so that the
// uplink can resume after a restart.
type Indexer struct {
	dir   string
	names <-chan string
	done  <-chan struct{}
}

// NewIndexer returns an indexer fed by names that stops when done is closed.
func NewIndexer(dir string, names <-chan string, done <-chan struct{}) *Indexer {
	return &Indexer{dir: dir, names: names, done: done}
}

// Run indexes segments until done is closed.
func (x *Indexer) Run() {
	for {
		select {
		case <-x.done:
			break
		case name := <-x.names:
			f, err := os.Open(name)
			if err != nil {
				log.Printf("tsbuf: index %s: %v", name, err)
				continue
			}
			defer f.Close() // HAZ defer-in-infinite-loop
			n, err := countLines(f)
			if err != nil {
				log.Printf("tsbuf: index %s: %v", name, err)
				continue
			}
			if err := x.appendIndex(filepath.Base(name), n); err != nil {
				log.Printf("tsbuf: index: %v", err)
			}
		}
	}
}

// RunUntilDone indexes segments until done is closed, then logs that it
// stopped.
func (x *Indexer) RunUntilDone() {
loop:
	for {
		select {
		case <-x.done:
			break loop
		case name := <-x.names:
			n, err := CountPoints([]string{name})
			if err != nil {
				log.Printf("tsbuf: index: %v", err)
				continue
			}
			if err := x.appendIndex(filepath.Base(name), n); err != nil {
				log.Printf("tsbuf: index: %v", err)
			}
		}
	}
	log.Printf("tsbuf: indexer stopped")
}

// appendIndex appends "name count" to the index file.
func (x *Indexer) appendIndex(name string, n int) error {
	f, err := os.OpenFile(filepath.Join(x.dir, "index"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	_, werr := fmt.Fprintf(f, "%s %d\n", name, n)
	return errors.Join(werr, f.Close())
}
