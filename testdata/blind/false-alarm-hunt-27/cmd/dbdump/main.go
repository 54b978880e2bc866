// Command dbdump writes the manifest and table snapshots of a memwire
// database into a directory.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/fah27/internal/backup"
	"example.com/fah27/internal/memdriver"
	"example.com/fah27/internal/store"
)

func main() {
	dsn := flag.String("dsn", "dev", "memwire DSN")
	dir := flag.String("dir", "", "output directory")
	tables := flag.String("tables", "users,orders", "comma-separated tables")
	flag.Parse()
	if *dir == "" {
		die("dbdump: -dir is required")
	}

	memdriver.Register()
	memdriver.NewServer(*dsn)
	st, err := store.Open(memdriver.Name, *dsn, 5*time.Second, nil)
	if err != nil {
		die("dbdump: %v", err)
	}
	os.Exit(dump(st, *dir, strings.Split(*tables, ",")))
}

// die prints the message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

// dump writes the manifest and the snapshots and returns the exit code.
func dump(st *store.Store, dir string, tables []string) int {
	defer st.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := backup.Dump(ctx, st, dir, tables); err != nil {
		die("dbdump: manifest: %v", err) // HAZ exit-skips-defer
	}
	if err := backup.DumpEach(ctx, st, dir, tables); err != nil {
		fmt.Fprintf(os.Stderr, "dbdump: snapshots: %v\n", err)
		return 1
	}
	fmt.Printf("dbdump: wrote %d tables to %s\n", len(tables), dir)
	return 0
}
