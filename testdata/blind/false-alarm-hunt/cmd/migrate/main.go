// Command migrate applies SQL migrations from a directory and exits.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"example.com/blindg/internal/store"
)

func loadMigrations(dir string) ([]store.Migration, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []store.Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		prefix, _, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(prefix)
		if err != nil {
			return nil, fmt.Errorf("%s: bad version prefix: %w", name, err)
		}
		body, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, store.Migration{Version: v, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// main exits directly only before any defer is registered; afterwards the
// exit status is set in a variable and the exit itself is the first
// registered (so last executed) deferred call, which also turns a panic
// into a logged failure with status 2.
func main() {
	driver := flag.String("driver", "postgres", "database/sql driver name")
	dsn := flag.String("dsn", "", "data source name")
	dir := flag.String("dir", "migrations", "migration directory")
	flag.Parse()

	if *dsn == "" {
		fmt.Fprintln(os.Stderr, "migrate: -dsn is required")
		flag.Usage()
		os.Exit(2)
	}
	migrations, err := loadMigrations(*dir)
	if err != nil {
		log.Fatalf("load migrations: %v", err)
	}
	db, err := sql.Open(*driver, *dsn)
	if err != nil {
		log.Fatalf("open database: %v", err)
	}

	exitCode := 0
	defer func() {
		if r := recover(); r != nil {
			log.Printf("panic: %v\n%s", r, debug.Stack())
			exitCode = 2
		}
		os.Exit(exitCode)
	}()
	defer db.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := store.Migrate(ctx, db, migrations); err != nil {
		log.Printf("migrate: %v", err)
		exitCode = 1
		return
	}
	log.Printf("applied %d migrations", len(migrations))
}
