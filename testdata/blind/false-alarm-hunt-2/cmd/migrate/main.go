// Command migrate applies schema migrations.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"time"

	"example.com/falsealarm2/sqlx"
)

var migrations = []sqlx.Migration{
	{Version: 1, Name: "users", Up: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)`},
	{Version: 2, Name: "events", Up: `CREATE TABLE events (id INTEGER PRIMARY KEY, user_id INTEGER, body TEXT)`},
}

func main() {
	driver := flag.String("driver", "sqlite", "database/sql driver name")
	dsn := flag.String("dsn", os.Getenv("DATABASE_URL"), "data source name")
	flag.Parse()

	logger := log.New(os.Stderr, "migrate: ", log.LstdFlags)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	db, err := sqlx.Open(ctx, *driver, *dsn, logger)
	if err != nil {
		cancel()
		logger.Fatalf("open: %v", err) // ok: cancel called explicitly, no defer registered yet
	}
	defer cancel()
	defer db.Close()

	n, err := db.Migrate(ctx, migrations)
	if err != nil {
		logger.Fatalf("migrate: %v", err) // HAZ exit-skips-defer
	}
	logger.Printf("applied %d migrations", n)
}
