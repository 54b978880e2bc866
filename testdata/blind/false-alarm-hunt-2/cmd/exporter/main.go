// Command exporter dumps database tables to CSV files.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"example.com/falsealarm2/sqlx"
)

func main() {
	code := 0
	defer func() {
		if r := recover(); r != nil {
			panic(r) // ok: keep the crash report
		}
		os.Exit(code) // ok: a deferred exit, registered first so it runs last
	}()

	out := flag.String("out", ".", "output directory")
	driver := flag.String("driver", "sqlite", "driver")
	dsn := flag.String("dsn", "", "data source name")
	flag.Parse()

	sigs := make(chan os.Signal, 1) // ok: buffered as signal.Notify requires
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case s := <-sigs:
			log.Printf("exporter: %v, cancelling", s)
			cancel()
		case <-ctx.Done():
		}
	}()

	logger := log.New(os.Stderr, "exporter: ", 0)
	db, err := sqlx.Open(ctx, *driver, *dsn, logger)
	if err != nil {
		logger.Printf("open: %v", err)
		code = 1
		return
	}
	defer db.Close()

	tables, err := db.TableNames(ctx)
	if err != nil {
		logger.Printf("tables: %v", err)
		code = 1
		return
	}
	for _, t := range tables {
		path := filepath.Join(*out, t+".csv")
		if err := db.ExportCSV(ctx, path, fmt.Sprintf("SELECT * FROM %q", t)); err != nil {
			logger.Printf("%s: %v", t, err)
			code = 1
		}
	}
}
