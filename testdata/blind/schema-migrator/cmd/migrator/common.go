package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "example.com/migrator/internal/fakedb"
	"example.com/migrator/migrate"
)

type globalFlags struct {
	dsn      string
	dir      string
	table    string
	embedded bool
	verbose  bool
}

func newFlagSet(name string, g *globalFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&g.dsn, "dsn", envOr("MIGRATOR_DSN", "fake:dev"), "database DSN")
	fs.StringVar(&g.dir, "dir", "migrations", "directory with the *.up.sql and *.down.sql files")
	fs.StringVar(&g.table, "table", migrate.DefaultTable, "history table")
	fs.BoolVar(&g.embedded, "embedded", false, "use the migrations compiled into the binary")
	fs.BoolVar(&g.verbose, "v", false, "log every statement")
	return fs
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func logger(g *globalFlags) *log.Logger {
	if !g.verbose {
		return log.New(io.Discard, "", 0)
	}
	return log.New(os.Stderr, "migrator: ", log.Ltime)
}

// openDB opens the database and checks that it answers.
func openDB(ctx context.Context, dsn string) (*sql.DB, error) {
	name, ok := strings.CutPrefix(dsn, "fake:")
	if !ok {
		return nil, fmt.Errorf("unsupported DSN %q (this build only has the fake driver)", dsn)
	}
	db, err := sql.Open("fakedb", name)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func loadMigrations(g *globalFlags) ([]migrate.Migration, error) {
	if g.embedded {
		src, err := migrate.Embedded()
		if err != nil {
			return nil, err
		}
		return src.Load()
	}
	return migrate.GlobSource{Pattern: filepath.Join(g.dir, "*.sql")}.Load()
}

// owner names this process in the lock table.
func owner() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	return fmt.Sprintf("%s/%d", host, os.Getpid())
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
