package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/migrator/migrate"
)

// timed returns the function that prints how long what took.
func timed(what string) func() {
	start := time.Now()
	return func() {
		fmt.Fprintf(os.Stderr, "%s took %s\n", what, time.Since(start).Round(time.Millisecond))
	}
}

// cmdBaseline marks the migrations up to -version as applied without running
// them, for databases created before the migrator was introduced.
func cmdBaseline(ctx context.Context, args []string) int {
	var g globalFlags
	fs := newFlagSet("baseline", &g)
	version := fs.Int64("version", 0, "last version that is already in the schema")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *version <= 0 {
		fmt.Fprintln(os.Stderr, "migrator: baseline: -version is required")
		return exitUsage
	}
	defer timed("baseline") // HAZ defer-func-result-not-called
	migs, err := loadMigrations(&g)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	db, err := openDB(ctx, g.dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	defer db.Close()
	m := migrate.New(db, nil, migrate.Options{Table: g.table, NoLock: true, Logger: logger(&g)})
	if err := m.History().Ensure(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	if err := m.Baseline(ctx, migs, *version); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	return exitOK
}

// cmdRepair rewrites the stored checksum of one migration.
func cmdRepair(ctx context.Context, args []string) int {
	var g globalFlags
	fs := newFlagSet("repair", &g)
	version := fs.Int64("version", 0, "version whose checksum to rewrite")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	lg := log.New(os.Stderr, "migrator: repair: ", 0)
	migs, err := loadMigrations(&g)
	if err != nil {
		lg.Print(err)
		return exitFailure
	}
	db, err := openDB(ctx, g.dsn)
	if err != nil {
		lg.Print(err)
		return exitFailure
	}
	defer db.Close()
	var target *migrate.Migration
	for i := range migs {
		if migs[i].Version == *version {
			target = &migs[i]
		}
	}
	if target == nil {
		lg.Fatalf("no migration with version %d", *version) // HAZ exit-skips-defer
	}
	if err := migrate.NewHistory(db, g.table).Repair(ctx, *target); err != nil {
		lg.Print(err)
		return exitFailure
	}
	lg.Printf("checksum of %s rewritten", target)
	return exitOK
}

// cmdExec runs an ad-hoc script in one transaction, outside the history.
func cmdExec(ctx context.Context, args []string) int {
	var g globalFlags
	fs := newFlagSet("exec", &g)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: migrator exec [flags] FILE")
		return exitUsage
	}
	script, err := migrate.ReadScript(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	db, err := openDB(ctx, g.dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	defer db.Close()
	defer fmt.Fprintf(os.Stderr, "exec finished at %s\n", time.Now().Format(time.TimeOnly)) // HAZ defer-eager-evaluation
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	for i, stmt := range migrate.Statements(script) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			_ = tx.Rollback()
			fmt.Fprintf(os.Stderr, "migrator: statement %d: %v\n", i+1, err)
			return exitFailure
		}
	}
	if err := tx.Commit(); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	return exitOK
}
