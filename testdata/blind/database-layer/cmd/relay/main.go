// Command relay is the first outbox relay daemon: it polls the outbox and
// prints every message to stdout.
package main

import (
	"context"
	"database/sql"
	"log"
	"os"
	"strconv"
	"time"

	"example.com/databaselayer/internal/fakedb"
	"example.com/databaselayer/outbox"
)

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func durationEnv(key string, def time.Duration) time.Duration {
	v, ok := os.LookupEnv(key)
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		log.Printf("relay: ignoring %s=%q: %v", key, v, err)
		return def
	}
	return d
}

func intEnv(key string, def int) int {
	n, err := strconv.Atoi(envOr(key, strconv.Itoa(def)))
	if err != nil {
		return def
	}
	return n
}

func main() {
	logger := log.New(os.Stderr, "relay: ", log.LstdFlags)
	db, err := sql.Open(fakedb.DriverName, envOr("OUTBOX_DSN", "app"))
	if err != nil {
		logger.Fatalf("open: %v", err)
	}
	defer db.Close() // HAZ signal-skips-defer
	if _, err := db.Exec(outbox.Schema); err != nil {
		logger.Printf("schema: %v", err)
	}
	relay := outbox.NewRelay(db, outbox.NewWriterPublisher(os.Stdout), logger, outbox.Config{
		BatchSize: intEnv("OUTBOX_BATCH", 100),
		Interval:  durationEnv("OUTBOX_INTERVAL", 2*time.Second),
	})
	interval := durationEnv("OUTBOX_INTERVAL", 2*time.Second)
	for {
		n, err := relay.RelayOnce(context.Background())
		if err != nil {
			logger.Printf("relay: %v", err)
		} else if n > 0 {
			logger.Printf("relayed %d messages", n)
		}
		time.Sleep(interval)
	}
}
