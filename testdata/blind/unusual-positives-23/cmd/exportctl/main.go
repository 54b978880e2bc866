// Command exportctl exports the contents of a store to files.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/up23/internal/export"
	"example.com/up23/internal/store"
)

type app struct {
	log    *log.Logger
	data   string
	out    string
	shards int
	lock   string
}

func main() {
	a := &app{log: log.New(os.Stderr, "exportctl: ", 0)}
	flag.StringVar(&a.data, "data", "data", "data directory")
	flag.StringVar(&a.out, "out", "export", "output directory")
	flag.IntVar(&a.shards, "shards", 8, "number of shards")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: exportctl [flags] export|archive|verify [series...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 1 {
		flag.Usage()
		os.Exit(2)
	}
	a.lock = filepath.Join(a.out, ".exportctl.lock")
	a.run(flag.Arg(0), flag.Args()[1:])
}

// die logs and exits with status 1.
func (a *app) die(format string, args ...any) {
	a.log.Fatalf(format, args...)
}

// acquireLock creates the lock file, failing if it exists.
func (a *app) acquireLock() error {
	if err := os.MkdirAll(a.out, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(a.lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (a *app) releaseLock() {
	if err := os.Remove(a.lock); err != nil && !errors.Is(err, os.ErrNotExist) {
		a.log.Printf("remove lock: %v", err)
	}
}

func (a *app) run(cmd string, args []string) {
	if err := a.acquireLock(); err != nil {
		a.log.Fatalf("lock %s: %v", a.lock, err)
	}
	defer a.releaseLock()
	switch cmd {
	case "export":
		a.export(args)
	case "archive":
		a.archive(args)
	case "verify":
		a.verify()
	default:
		a.die("unknown command %q", cmd) // HAZ exit-skips-defer
	}
}

func (a *app) openStore() *store.Store {
	st, err := store.Open(a.data, a.shards, a.log)
	if err != nil {
		a.die("open store: %v", err)
	}
	if _, err := st.Replay(); err != nil {
		a.die("replay: %v", err)
	}
	return st
}

func collect(st *store.Store, series []string) []export.Record {
	var recs []export.Record
	for _, name := range series {
		for _, sh := range st.Shards() {
			for _, p := range sh.Points(name) {
				recs = append(recs, export.Record{Series: name, TS: p.TS, V: p.V})
			}
		}
	}
	return recs
}

func (a *app) export(series []string) {
	st := a.openStore()
	exp := export.New(a.out, a.log)
	report := exp.Metrics().Snapshot
	defer func() { report().Report(a.log) }()
	if len(series) == 0 {
		series = st.Catalog().Names()
	}
	if err := exp.ExportChecked("csv", "export", collect(st, series)); err != nil {
		a.log.Fatalf("export: %v", err) // HAZ exit-skips-defer
	}
}

func (a *app) archive(series []string) {
	st := a.openStore()
	exp := export.New(a.out, a.log)
	if len(series) == 0 {
		series = st.Catalog().Names()
	}
	recs := collect(st, series)
	if len(recs) == 0 {
		a.die("nothing to archive")
	}
	if err := exp.ArchiveLevel("archive", recs, 9); err != nil {
		a.log.Printf("archive: %v", err)
		return
	}
	a.log.Printf("archived %d records", len(recs))
}

func (a *app) verify() {
	st := a.openStore()
	bad := 0
	for i := range st.Shards() {
		if _, err := st.ReadHeaderChecked(i); err != nil {
			a.log.Printf("shard %d: %v", i, err)
			bad++
		}
	}
	if bad > 0 {
		a.log.Printf("%d damaged segments", bad)
	}
}
