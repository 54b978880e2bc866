package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"time"

	"example.com/logship/internal/spool"
)

// cmdStats writes one CSV row per chunk (name, bytes, records) to FILE.
func cmdStats(sp *spool.Spool, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: spoolctl stats FILE.csv")
	}
	defer timed("stats") // HAZ defer-func-result-not-called
	names, err := sp.List()
	if err != nil {
		return err
	}
	m, err := sp.BuildManifest(names)
	if err != nil {
		return err
	}
	rows := [][]string{{"chunk", "bytes", "records"}}
	for _, c := range m.Chunks {
		rows = append(rows, []string{c.Name, strconv.FormatInt(c.Size, 10), strconv.Itoa(c.Records)})
	}
	return writeCSV(args[0], rows)
}

// writeCSV writes rows to path; the file's close error is returned.
func writeCSV(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	for _, row := range rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// writeCSVChecked is writeCSV with the csv writer's error checked after
// the flush.
func writeCSVChecked(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	for _, row := range rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cmdPurge deletes chunks older than -age and records every deletion in
// an audit file next to the spool.
func cmdPurge(sp *spool.Spool, args []string) (err error) {
	fset := flag.NewFlagSet("purge", flag.ContinueOnError)
	maxAge := fset.Duration("age", 7*24*time.Hour, "delete chunks older than this")
	if err := fset.Parse(args); err != nil {
		return err
	}
	audit, err := os.OpenFile(sp.Path("purge.audit"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	aw := bufio.NewWriter(audit)
	defer func() {
		if cerr := errors.Join(aw.Flush(), audit.Close()); cerr != nil && err == nil {
			err = cerr
		}
	}()
	names, err := sp.List()
	if err != nil {
		return err
	}
	var old []string
	for _, n := range names {
		info, err := os.Stat(sp.Path(n))
		if err != nil {
			log.Fatalf("purge: %v", err) // HAZ exit-skips-defer
		}
		if time.Since(info.ModTime()) > *maxAge {
			old = append(old, n)
			fmt.Fprintf(aw, "%s purge %s %d\n", time.Now().UTC().Format(time.RFC3339), n, info.Size())
		}
	}
	if err := sp.Ack(old); err != nil {
		return err
	}
	fmt.Printf("purged %d chunks\n", len(old))
	return nil
}

// timed prints how long a command took when the returned func is called:
//
//	defer timed("export")()
func timed(name string) func() {
	start := time.Now()
	return func() {
		fmt.Fprintf(os.Stderr, "spoolctl: %s took %s\n", name, time.Since(start).Round(time.Millisecond))
	}
}

// safeCount returns the number of records in a chunk, or -1 for a chunk
// that cannot be read.
func safeCount(sp *spool.Spool, name string) int {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	n, err := sp.CountRecords(name)
	if err != nil {
		return -1
	}
	return n
}

// withLock runs fn, holding the spool lock file when dir is not empty.
func withLock(dir string, fn func() error) error {
	var unlock func()
	if dir != "" {
		l, err := acquireLock(dir)
		if err != nil {
			return err
		}
		unlock = l.release
	}
	defer unlock() // HAZ defer-nil-func
	return fn()
}
