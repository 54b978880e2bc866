// Command migrate applies the SQL migrations in a directory.
//
//	migrate [-dsn NAME] [-dir DIR] [-status] [-status-csv FILE] [-cpuprofile FILE]
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"example.com/clitests/internal/cliutil"
	"example.com/clitests/internal/fakedb"
	"example.com/clitests/internal/migrate"
)

type config struct {
	dsn       string
	dir       string
	status    bool
	statusCSV string
	timeout   time.Duration
}

func main() {
	var cfg config
	flag.StringVar(&cfg.dsn, "dsn", "dev", "database name")
	flag.StringVar(&cfg.dir, "dir", "migrations", "directory holding NNNN_name.up.sql files")
	flag.BoolVar(&cfg.status, "status", false, "print the status table instead of migrating")
	flag.StringVar(&cfg.statusCSV, "status-csv", "", "also write the status as CSV to `file`")
	flag.DurationVar(&cfg.timeout, "timeout", time.Minute, "overall timeout")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("migrate: ")

	if *cpuprofile != "" {
		stop, err := cliutil.StartCPUProfile(*cpuprofile)
		if err != nil {
			log.Fatalf("cpuprofile: %v", err) // ok: nothing deferred yet
		}
		defer stop()
	}

	if err := up(cfg, os.Stdout); err != nil {
		log.Fatal(err) // HAZ exit-skips-defer
	}
}

func up(cfg config, stdout io.Writer) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	ms, err := migrate.LoadFS(os.DirFS(cfg.dir))
	if err != nil {
		return err
	}
	db, err := sql.Open(fakedb.DriverName, cfg.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	r := migrate.New(db, log.Default())
	if !cfg.status {
		if err := r.Up(ctx, ms); err != nil {
			return err
		}
	} else if err := r.Load(ctx); err != nil {
		return err
	}
	if err := migrate.WriteStatus(stdout, ms, r.IsApplied); err != nil {
		return err
	}
	if cfg.statusCSV != "" {
		f, ferr := os.Create(cfg.statusCSV)
		if ferr != nil {
			return ferr
		}
		defer func() {
			if cerr := f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("close %s: %w", cfg.statusCSV, cerr) // ok: err is the named result here
			}
		}()
		return migrate.WriteStatusCSV(f, ms, r.IsApplied)
	}
	return nil
}
