// Command dump exports a table as a gzip-compressed CSV snapshot.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"

	"example.com/databaselayer/export"
	"example.com/databaselayer/internal/fakedb"
	"example.com/databaselayer/repo"
)

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "dump: "+format+"\n", args...)
	os.Exit(1)
}

func dump(ctx context.Context, db *sql.DB, table, out string) error {
	if err := repo.CreateSchema(ctx, db); err != nil {
		return err
	}
	header, records, err := export.Query(ctx, db, "SELECT * FROM "+table)
	if err != nil {
		return fmt.Errorf("query %s: %w", table, err)
	}
	if err := export.WriteSnapshotOrdered(out, append([][]string{header}, records...)); err != nil {
		return err
	}
	sum, err := export.Checksum(out)
	if err != nil {
		return err
	}
	fmt.Printf("%s  %s (%d rows)\n", sum, out, len(records))
	return nil
}

func main() {
	dsn := flag.String("dsn", "app", "database to dump")
	table := flag.String("table", "users", "table to dump")
	out := flag.String("out", "", "output file (default TABLE.csv.gz)")
	flag.Parse()
	if *out == "" {
		*out = *table + ".csv.gz"
	}

	db, err := sql.Open(fakedb.DriverName, *dsn)
	if err != nil {
		die("open: %v", err)
	}
	defer db.Close()

	if err := dump(context.Background(), db, *table, *out); err != nil {
		die("%v", err) // HAZ exit-skips-defer
	}
}
