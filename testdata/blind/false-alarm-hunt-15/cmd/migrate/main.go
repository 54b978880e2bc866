// Command migrate applies SQL migrations in lexical order.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func die(err error) {
	fmt.Fprintln(os.Stderr, "migrate:", err)
	os.Exit(1)
}

func main() {
	dir := flag.String("dir", "migrations", "directory of *.sql files")
	timeout := flag.Duration("timeout", time.Minute, "overall deadline")
	flag.Parse()

	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		die(errors.New("DATABASE_URL is not set"))
	}
	files, err := listMigrations(*dir)
	if err != nil {
		log.Fatalf("migrate: %v", err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		die(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	applied, err := migrate(ctx, db, files)
	cancel()
	closeErr := db.Close()
	if err != nil {
		die(err)
	}
	if closeErr != nil {
		die(closeErr)
	}
	fmt.Printf("applied %d migrations\n", applied)
}

func listMigrations(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(files)
	return files, nil
}

func migrate(ctx context.Context, db *sql.DB, files []string) (int, error) {
	if _, err := db.ExecContext(ctx,
		"CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL)"); err != nil {
		return 0, err
	}
	applied := 0
	for _, path := range files {
		name := filepath.Base(path)
		var exists bool
		if err := db.QueryRowContext(ctx,
			"SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)", name).Scan(&exists); err != nil {
			return applied, err
		}
		if exists {
			continue
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return applied, err
		}
		if err := applyOne(ctx, db, name, string(body)); err != nil {
			return applied, fmt.Errorf("%s: %w", name, err)
		}
		applied++
	}
	return applied, nil
}

func applyOne(ctx context.Context, db *sql.DB, name, body string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		"INSERT INTO schema_migrations (name, applied_at) VALUES ($1, now())", name); err != nil {
		return err
	}
	return tx.Commit()
}
