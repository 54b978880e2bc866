// Command etl runs one batch: extract from the given inputs, transform,
// and load into an output file and/or the database.
//
//	etl -out daily.csv -dsn mem://warehouse exports/*.csv.gz
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/etl/internal/schedule"
)

type config struct {
	inputs   []string
	out      string
	dsn      string
	table    string
	key      string
	workers  int
	lockPath string
	progress time.Duration
}

func parseFlags() (config, error) {
	var cfg config
	flag.StringVar(&cfg.out, "out", "", "output CSV file, written atomically")
	flag.StringVar(&cfg.dsn, "dsn", "", "also load into this database (mem://name)")
	flag.StringVar(&cfg.table, "table", "events", "target table")
	flag.StringVar(&cfg.key, "key", "id", "key column, required in every record")
	flag.IntVar(&cfg.workers, "workers", 4, "transform workers")
	flag.StringVar(&cfg.lockPath, "lock", filepath.Join(os.TempDir(), "etl.lock"), "lock file that prevents overlapping runs")
	flag.DurationVar(&cfg.progress, "progress", 5*time.Second, "progress report interval")
	flag.Parse()
	cfg.inputs = flag.Args()
	if len(cfg.inputs) == 0 {
		return cfg, errors.New("no inputs given")
	}
	if cfg.out == "" && cfg.dsn == "" {
		return cfg, errors.New("need -out or -dsn")
	}
	return cfg, nil
}

func main() {
	log.SetFlags(0)
	cfg, err := parseFlags()
	if err != nil {
		log.Fatalf("etl: %v", err)
	}
	lock, err := schedule.AcquireLock(cfg.lockPath)
	if err != nil {
		log.Fatalf("etl: %v", err)
	}
	defer lock.Release()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runPipeline(ctx, cfg); err != nil {
		log.Fatalf("etl: %v", err) // HAZ exit-skips-defer
	}
}
