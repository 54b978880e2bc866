// Command stockimport applies the nightly ERP stock files to the journal.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"example.com/inventory/internal/importer"
	"example.com/inventory/internal/stock"
	"example.com/inventory/internal/wal"
)

func main() {
	dir := flag.String("dir", "", "directory with the ERP *.csv files")
	lockPath := flag.String("lock", "/run/stockimport.lock", "lock file that keeps two imports apart")
	walPath := flag.String("wal", "/var/lib/inventory/stock.wal", "write-ahead log")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "usage: stockimport -dir DIR [-lock FILE] [-wal FILE]")
		os.Exit(2)
	}

	unlock, err := acquireLock(*lockPath)
	if err != nil {
		log.Fatalf("stockimport: %v", err)
	}
	defer unlock()

	store := stock.NewStore()
	imp := importer.New(store, log.Default())
	imp.RejectLog = *dir + "/rejects.tsv"
	n, err := imp.ImportFiles(mustGlob(*dir))
	if err != nil {
		log.Fatalf("stockimport: import failed after %d rows: %v", n, err) // HAZ exit-skips-defer
	}
	if err := journalLevels(*walPath, store); err != nil {
		log.Printf("stockimport: journal: %v", err)
		return
	}
	log.Printf("stockimport: imported %d rows", n)
}

// acquireLock creates the lock file exclusively and returns the function
// that removes it again.
func acquireLock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("another import is running (%s): %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// mustGlob lists the CSV files of dir; a bad pattern is a programming error.
func mustGlob(dir string) []string {
	paths, err := globCSV(dir)
	if err != nil {
		panic(err)
	}
	return paths
}

// globCSV lists the CSV files of dir in name order.
func globCSV(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && len(e.Name()) > 4 && e.Name()[len(e.Name())-4:] == ".csv" {
			out = append(out, dir+"/"+e.Name())
		}
	}
	return out, nil
}

// journalLevels appends one receive record per imported level to the WAL.
func journalLevels(walPath string, store *stock.Store) (err error) {
	journal, err := wal.Open(walPath)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := journal.Close(); err == nil {
			err = cerr
		}
	}()
	for _, id := range store.IDs() {
		w, _ := store.Warehouse(id)
		for sku, lvl := range w.Snapshot() {
			if _, err := journal.Append("receive", id, string(sku), lvl.OnHand); err != nil {
				return err
			}
		}
	}
	return nil
}
