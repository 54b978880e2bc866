// Command migrate-lockd holds the migration lock of a database for a
// maintenance window, so that no deploy migrates it meanwhile. Stopping the
// process ends the window.
package main

import (
	"context"
	"database/sql"
	"flag"
	"log"
	"os"
	"time"

	"example.com/migrator/internal/fakedb"
	"example.com/migrator/lock"
)

func main() {
	dsn := flag.String("dsn", "prod", "fakedb store name")
	name := flag.String("lock", "schema-migrator", "lock to hold")
	flag.Parse()

	ctx := context.Background()
	db, err := sql.Open(fakedb.DriverName, *dsn)
	if err != nil {
		log.Fatalf("lockd: %v", err)
	}
	host, _ := os.Hostname()
	locker := lock.NewTableLock(db, "lockd@"+host, log.Default())
	if err := locker.Ensure(ctx); err != nil {
		log.Fatalf("lockd: %v", err)
	}
	release, err := locker.Acquire(ctx, *name)
	if err != nil {
		log.Fatalf("lockd: %v", err)
	}
	defer db.Close()
	defer release()

	go func() {
		if err := locker.Heartbeat(ctx, 30*time.Second); err != nil {
			log.Printf("lockd: heartbeat stopped: %v", err)
		}
	}()
	log.Printf("lockd: holding %q; stop the process to release it", *name)
	select {} // HAZ signal-skips-defer
}
