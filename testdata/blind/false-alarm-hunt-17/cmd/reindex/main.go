// Command reindex rebuilds the search index files from a store.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"

	"example.com/fah17/internal/index"
	"example.com/fah17/internal/obs"
	"example.com/fah17/internal/store"
)

func main() {
	root := flag.String("root", "", "store root directory")
	out := flag.String("out", "", "directory for the index files")
	level := flag.String("log", "info", "log level")
	flag.Parse()
	if *root == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	logger := obs.NewLogger(os.Stderr, *level)
	st, err := store.Open(*root, store.Options{Logger: logger, Exclusive: true})
	if err != nil {
		fatal(logger, "open store", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			logger.Error("close store", "err", err)
		}
	}()
	n, err := reindex(st, *out, logger)
	if err != nil {
		fatal(logger, "reindex", err) // HAZ exit-skips-defer
	}
	logger.Info("reindex complete", "entries", n)
}

// fatal logs err and exits with status 1.
func fatal(logger *slog.Logger, what string, err error) {
	logger.Error(what+" failed", "err", err)
	os.Exit(1)
}

// reindex writes one index entry per blob to dir/entries.json.
func reindex(st *store.Store, dir string, logger *slog.Logger) (n int, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	f, err := os.Create(filepath.Join(dir, "entries.json"))
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	enc := json.NewEncoder(bw)
	for key := range st.Keys() {
		m, err := st.Stat(key)
		if err != nil {
			return n, err
		}
		if err := enc.Encode(index.Entry{Name: m.Key, Size: m.Size}); err != nil {
			return n, err
		}
		n++
	}
	logger.Debug("entries written", "n", n)
	return n, nil
}
