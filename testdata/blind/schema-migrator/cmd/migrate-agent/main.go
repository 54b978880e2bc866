// Command migrate-agent runs next to the application and applies the
// migrations compiled into it whenever new ones appear, so that a rolling
// deploy needs no separate migration job.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/migrator/internal/fakedb"
	"example.com/migrator/lock"
	"example.com/migrator/migrate"
)

func main() {
	dsn := flag.String("dsn", "agent", "fakedb store name")
	every := flag.Duration("every", time.Minute, "how often to look for new migrations")
	flag.Parse()

	src, err := migrate.Embedded()
	if err != nil {
		log.Fatalf("agent: %v", err)
	}
	db, err := sql.Open(fakedb.DriverName, *dsn)
	if err != nil {
		log.Fatalf("agent: %v", err)
	}
	defer db.Close()

	ctx := context.Background()
	locker := lock.NewTableLock(db, agentName(), log.Default())
	if err := locker.Ensure(ctx); err != nil {
		log.Printf("agent: %v", err)
		return
	}
	release, err := locker.Acquire(ctx, "migrate-agent")
	if err != nil {
		log.Printf("agent: another agent is running: %v", err)
		return
	}
	defer release()
	go locker.KeepAlive(*every / 2)

	m := migrate.New(db, locker, migrate.Options{Logger: log.Default()})
	if err := m.History().Ensure(ctx); err != nil {
		log.Printf("agent: %v", err)
		return
	}
	for { // HAZ signal-skips-defer
		migs, err := src.Load()
		if err != nil {
			log.Printf("agent: load: %v", err)
		} else if err := m.Up(ctx, migs); err != nil {
			log.Printf("agent: %v", err)
		}
		time.Sleep(*every)
	}
}

func agentName() string {
	host, err := os.Hostname()
	if err != nil {
		host = "agent"
	}
	return fmt.Sprintf("agent@%s/%d", host, os.Getpid())
}
