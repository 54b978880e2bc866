// Command migrate-watch prints every change of migration state of a
// database as it happens, until interrupted.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/migrator/internal/fakedb"
	"example.com/migrator/migrate"
	"example.com/migrator/status"
)

func main() {
	dsn := flag.String("dsn", "watch", "fakedb store name")
	dir := flag.String("dir", "migrations", "migrations directory")
	every := flag.Duration("every", 5*time.Second, "poll interval")
	flag.Parse()

	db, err := sql.Open(fakedb.DriverName, *dsn)
	if err != nil {
		log.Fatalf("watch: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer db.Close()

	src := migrate.GlobSource{Pattern: filepath.Join(*dir, "*.sql")}
	load := func(ctx context.Context) ([]status.Row, error) {
		migs, err := src.Load()
		if err != nil {
			return nil, err
		}
		return status.Load(ctx, db, migrate.DefaultTable, migs)
	}
	p := status.NewPoller(load, os.Stdout, *every, log.Default())
	if err := p.RunContext(ctx); err != nil && !errors.Is(err, context.Canceled) {
		log.Printf("watch: %v", err)
	}
}
