// Command sqldump exports tables to compressed CSV files.
//
// Database drivers are linked in by build-specific files that import them for side effects.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/etl/fsutil"
	"example.com/etl/report"
	"example.com/etl/sqlexport"
)

var (
	driver = flag.String("driver", "postgres", "database/sql driver name")
	dsn    = flag.String("dsn", "", "data source name")
	tables = flag.String("tables", "", "comma-separated table names")
	out    = flag.String("out", ".", "output directory")
)

func main() {
	flag.Parse()
	if *dsn == "" || *tables == "" {
		log.Fatal("sqldump: -dsn and -tables are required") // ok: nothing deferred yet
	}
	os.Exit(run())
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	db, err := sql.Open(*driver, *dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sqldump:", err)
		return 1
	}
	defer db.Close()

	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		fmt.Fprintln(os.Stderr, "sqldump:", err)
		return 1
	}

	names := strings.Split(*tables, ",")
	exp := &sqlexport.Exporter{Q: sqlexport.DB{DB: db}, Log: log.New(os.Stderr, "sqldump: ", 0)}
	col := report.NewCollector("sqldump")
	status := 0
	if err := fsutil.StartMarker(*out, "sqldump"); err != nil {
		fmt.Fprintln(os.Stderr, "sqldump:", err)
		return 1
	}
	if err := exp.DumpTimed(ctx, *out, names); err != nil {
		col.Note("dump failed: %v", err)
		fmt.Fprintln(os.Stderr, "sqldump:", err)
		status = 1
	} else if err := fsutil.FinishMarker(*out, "sqldump"); err != nil {
		fmt.Fprintln(os.Stderr, "sqldump:", err)
		status = 1
	}
	if err := report.AppendLine(*out+"/sqldump.log", fmt.Sprintf("%s exit=%d tables=%d", time.Now().Format(time.RFC3339), status, len(names))); err != nil {
		fmt.Fprintln(os.Stderr, "sqldump:", err)
	}
	return status
}
