// Command statusd serves a read-mostly status page backed by a state file.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/fah16/internal/segment"
	"example.com/fah16/internal/server"
	"example.com/fah16/internal/state"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	statePath := flag.String("state", "status.state", "state file")
	flag.Parse()

	store := state.NewStore()
	if err := loadState(store, *statePath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Fatalf("statusd: %v", err)
	}
	defer func() {
		if err := saveState(store, *statePath); err != nil {
			log.Printf("statusd: saving state: %v", err)
		}
	}()

	srv := server.New(store, state.NewHealth(store), os.Getenv("AUDIT_URL"), log.Default())
	log.Printf("statusd: listening on %s", *addr)
	if err := http.ListenAndServe(*addr, srv); err != nil { // HAZ signal-skips-defer
		log.Printf("statusd: %v", err)
	}
}

// loadState reads "name<TAB>offset" lines into store.
func loadState(store *state.Store, path string) error {
	lines, err := segment.ReadLines(path)
	if err != nil {
		return err
	}
	now := time.Now()
	for i, l := range lines {
		name, off, ok := strings.Cut(l, "\t")
		if !ok {
			return fmt.Errorf("%s:%d: malformed line", path, i+1)
		}
		n, err := strconv.ParseInt(off, 10, 64)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", path, i+1, err)
		}
		store.Register(name)
		if err := store.Advance(name, n, now); err != nil {
			return err
		}
	}
	return nil
}

// saveState writes the store back in the format loadState reads.
func saveState(store *state.Store, path string) error {
	snap := store.Snapshot()
	lines := make([]string, 0, len(snap))
	for _, s := range snap {
		lines = append(lines, fmt.Sprintf("%s\t%d", s.Name, s.Offset))
	}
	tmp := path + ".tmp"
	if err := segment.WriteLines(tmp, lines); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
