// Command migrate applies schema migrations and exits.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

func run() error {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	files, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, string(b)); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
	}
	return nil
}

func main() {
	lock := "migrate.lock"
	if err := os.WriteFile(lock, nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer os.Remove(lock) // ok: main does not block serving
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "migrate:", err)
	}
}
