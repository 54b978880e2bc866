// Command ingestctl inspects journals and produces reports from them.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"

	"example.com/up17/internal/export"
	"example.com/up17/internal/journal"
)

// record is one journal entry.
type record struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	Bytes  int64  `json:"bytes"`
}

var header = []string{"id", "source", "bytes"}

// fatalf logs and exits with status 1.
func fatalf(format string, args ...any) {
	log.Fatalf("ingestctl: "+format, args...)
}

// lockFile creates path exclusively and returns a function removing it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// collectRows replays the journal at path into CSV rows.
func collectRows(path string) ([][]string, error) {
	var rows [][]string
	_, err := journal.Open[record](path).Replay(func(r record) error {
		rows = append(rows, []string{r.ID, r.Source, strconv.FormatInt(r.Bytes, 10)})
		return nil
	})
	return rows, err
}

// report writes a CSV report of the journal in to out.
func report(logger *log.Logger, in, out string) {
	if in == "" || out == "" {
		fatalf("usage: ingestctl report JOURNAL OUT.csv")
	}
	release, err := lockFile(out + ".lock")
	if err != nil {
		fatalf("report: %v", err)
	}
	defer release()

	rows, err := collectRows(in)
	if err != nil {
		fatalf("report: replay %s: %v", in, err) // HAZ exit-skips-defer
	}
	if err := export.WriteCSV(out, false, header, rows); err != nil {
		logger.Printf("report: write %s: %v", out, err)
		return
	}
	logger.Printf("report: wrote %d rows to %s", len(rows), out)
}

// check counts malformed lines in a journal and returns the exit status.
// The only fatal exit happens before the deferred close is registered.
func check(logger *log.Logger, path string) int {
	f, err := os.Open(path)
	if err != nil {
		logger.Fatalf("check: %v", err)
	}
	defer f.Close()

	bad, n := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "{") || !strings.HasSuffix(line, "}") {
			bad++
		}
	}
	if err := sc.Err(); err != nil {
		logger.Printf("check: read %s: %v", path, err)
		return 1
	}
	logger.Printf("check: %s: %d lines, %d malformed", path, n, bad)
	if bad > 0 {
		return 1
	}
	return 0
}

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: ingestctl report JOURNAL OUT.csv | check JOURNAL")
		os.Exit(2)
	}
	flag.Parse()
	logger := log.New(os.Stderr, "ingestctl: ", 0)
	switch flag.Arg(0) {
	case "report":
		report(logger, flag.Arg(1), flag.Arg(2))
	case "check":
		os.Exit(check(logger, flag.Arg(1)))
	default:
		flag.Usage()
	}
}
