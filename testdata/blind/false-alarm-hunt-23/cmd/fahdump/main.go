// Command fahdump exports one table to a CSV or gzipped CSV file.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"example.com/fah23/export"
	_ "example.com/fah23/fahdb"
	"example.com/fah23/internal/trace"
)

func main() {
	dsn := flag.String("dsn", os.Getenv("FAHDB_DSN"), "database DSN")
	format := flag.String("format", "csv", "csv or gz")
	notify := flag.String("notify", "", "URL to POST a completion notice to")
	verbose := flag.Bool("v", false, "trace timings")
	list := flag.Bool("list", false, "list the tables and exit")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: fahdump [-dsn DSN] [-format csv|gz] [-notify URL] TABLE FILE")
		flag.PrintDefaults()
		os.Exit(2)
	}
	flag.Parse()
	if *dsn == "" {
		fatalf("fahdump: no DSN (set -dsn or FAHDB_DSN)")
	}
	if *list {
		listTables(*dsn)
		return
	}
	if flag.NArg() != 2 {
		flag.Usage()
	}
	trace.Enable(*verbose)
	os.Exit(run(*dsn, *format, *notify, flag.Arg(0), flag.Arg(1)))
}

// run holds every deferred cleanup, so main can exit with its status code
// after they have all run.
func run(dsn, format, notifyURL, table, path string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	defer trace.Region("fahdump")()
	db, err := sql.Open("fahdb", dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fahdump:", err)
		return 1
	}
	defer db.Close()
	switch strings.ToLower(format) {
	case "csv":
		err = export.DumpCSV(ctx, db, table, path)
	case "gz", "gzip":
		err = export.DumpGzip(ctx, db, table, path)
	default:
		err = fmt.Errorf("unknown format %q", format)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fahdump:", err)
		return 1
	}
	if notifyURL != "" {
		if err := notifyDone(ctx, notifyURL, table, path); err != nil {
			fmt.Fprintln(os.Stderr, "fahdump: notify:", err)
		}
	}
	return 0
}

// notifyDone posts a small JSON notice; the body is closed only after the
// request error has been checked.
func notifyDone(ctx context.Context, url, table, path string) error {
	body, err := json.Marshal(map[string]string{"table": table, "file": path})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("notify: %s", resp.Status)
	}
	return nil
}

// listTables prints the name and row count of every table (the -list mode).
func listTables(dsn string) {
	db, err := sql.Open("fahdb", dsn)
	if err != nil {
		fatalf("fahdump: %v", err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name, rows FROM fah_tables")
	if err != nil {
		fatalf("fahdump: listing tables: %v", err) // HAZ exit-skips-defer
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			fatalf("fahdump: %v", err) // HAZ exit-skips-defer
		}
		fmt.Printf("%-30s %d\n", name, n)
	}
}

// fatalf prints the message and exits with status 1. Deferred calls of its
// caller do not run.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
