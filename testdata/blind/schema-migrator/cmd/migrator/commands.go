package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"example.com/migrator/dryrun"
	"example.com/migrator/dump"
	"example.com/migrator/lock"
	"example.com/migrator/migrate"
	"example.com/migrator/status"
)

func cmdUp(ctx context.Context, args []string) int {
	var g globalFlags
	fs := newFlagSet("up", &g)
	target := fs.Int64("to", 0, "stop after this version (0: apply everything)")
	noLock := fs.Bool("no-lock", false, "do not take the advisory lock")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
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
	locker := lock.NewTableLock(db, owner(), logger(&g))
	if err := locker.Ensure(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	m := migrate.New(db, locker, migrate.Options{Table: g.table, NoLock: *noLock, Logger: logger(&g)})
	defer m.Stats().Print(os.Stderr) // HAZ defer-call-chain
	if err := m.History().Ensure(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	to := int64(math.MaxInt64)
	if *target > 0 {
		to = *target
	}
	if err := m.UpTo(ctx, migs, to); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		if errors.Is(err, lock.ErrHeld) {
			return exitLocked
		}
		return exitFailure
	}
	return exitOK
}

func cmdDown(ctx context.Context, args []string) int {
	var g globalFlags
	fs := newFlagSet("down", &g)
	steps := fs.Int("steps", 1, "how many migrations to revert")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *steps < 1 {
		fmt.Fprintln(os.Stderr, "migrator: -steps must be at least 1")
		return exitUsage
	}
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
	locker := lock.NewTableLock(db, owner(), logger(&g))
	m := migrate.New(db, locker, migrate.Options{Table: g.table, Logger: logger(&g)})
	start := time.Now()
	defer func() {
		fmt.Fprintf(os.Stderr, "down finished in %s\n", time.Since(start).Round(time.Millisecond))
	}()
	err = locker.WithLockBounded(ctx, "schema-migrator", func() error {
		return m.Down(ctx, migs, *steps)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		if errors.Is(err, lock.ErrHeld) {
			return exitLocked
		}
		return exitFailure
	}
	return exitOK
}

func cmdStatus(ctx context.Context, args []string) int {
	var g globalFlags
	fs := newFlagSet("status", &g)
	out := fs.String("o", "", "also write the report to this file")
	failPending := fs.Bool("fail-pending", false, "exit 3 when migrations are pending")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
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
	rows, err := status.Load(ctx, db, g.table, migs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	if err := status.Print(os.Stdout, rows); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	if *out != "" {
		if err := status.WriteReport(*out, rows); err != nil {
			fmt.Fprintln(os.Stderr, "migrator:", err)
			return exitFailure
		}
	}
	if *failPending && status.Counts(rows)[status.Pending] > 0 {
		os.Exit(exitPending) // HAZ exit-skips-defer
	}
	return exitOK
}

func cmdPlan(ctx context.Context, args []string) int {
	var g globalFlags
	fs := newFlagSet("plan", &g)
	outPath := fs.String("o", "-", "write the plan to this file ('-': standard output)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
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
	m := migrate.New(db, nil, migrate.Options{Table: g.table, NoLock: true})
	pending, err := m.Pending(ctx, migs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	var w io.Writer = os.Stdout
	if *outPath != "-" {
		f, err := os.OpenFile(*outPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, "migrator:", err)
			return exitFailure
		}
		defer f.Close() // HAZ defer-close-unchecked-write
		w = f
	}
	if err := dryrun.WritePlan(w, pending, migrate.Up); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	return exitOK
}

func cmdVerify(ctx context.Context, args []string) int {
	var g globalFlags
	fs := newFlagSet("verify", &g)
	strict := fs.Bool("strict", false, "also require a down script for every migration")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	defer timed("verify")()
	migs, err := loadMigrations(&g)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	problems := migrate.Lint(migs)
	if *strict {
		problems = migrate.LintStrict(migs)
	}
	db, err := openDB(ctx, g.dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	defer db.Close()
	applied, err := migrate.NewHistory(db, g.table).Applied(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	problems = append(problems, migrate.VerifyChecksums(migs, applied)...)
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "%d problem(s):\n", len(problems))
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "  -", p)
		}
		return exitFailure
	}
	fmt.Printf("%d migration(s) verified\n", len(migs))
	return exitOK
}

func cmdLock(ctx context.Context, args []string) int {
	var g globalFlags
	fs := newFlagSet("lock", &g)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	db, err := openDB(ctx, g.dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	defer db.Close()
	l := lock.NewTableLock(db, owner(), logger(&g))
	if err := l.Ensure(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	holders, err := l.Holders(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LOCK\tOWNER\tSINCE")
	for _, h := range holders {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", h.Name, h.Owner, h.Since.Local().Format(time.RFC3339))
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	if len(holders) > 0 {
		return exitLocked
	}
	return exitOK
}

func cmdDump(ctx context.Context, args []string) int {
	var g globalFlags
	fs := newFlagSet("dump", &g)
	outDir := fs.String("out", "dump", "directory for the table dumps")
	tables := fs.String("tables", "", "comma-separated tables to dump")
	archive := fs.String("archive", "", "also bundle the dumps into this .tar.gz")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	list := splitList(*tables)
	if len(list) == 0 {
		fmt.Fprintln(os.Stderr, "migrator: dump: -tables is required")
		return exitUsage
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	db, err := openDB(ctx, g.dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	defer db.Close()
	d := dump.NewDumper(db, *outDir, logger(&g))
	if err := d.DumpSet(ctx, list); err != nil {
		fatalf("dump: %v", err) // HAZ exit-skips-defer
	}
	if err := d.WriteManifest(); err != nil {
		fmt.Fprintln(os.Stderr, "migrator:", err)
		return exitFailure
	}
	if *archive != "" {
		if err := d.Archive(*archive, list); err != nil {
			fmt.Fprintln(os.Stderr, "migrator:", err)
			return exitFailure
		}
	}
	return exitOK
}

func cmdRestore(ctx context.Context, args []string) int {
	var g globalFlags
	fs := newFlagSet("restore", &g)
	from := fs.String("from", "dump", "dump directory or .tar.gz archive")
	tables := fs.String("tables", "", "comma-separated tables (all of the archive when empty)")
	verify := fs.Bool("verify", true, "compare row counts with the manifest afterwards")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	isArchive := strings.HasSuffix(*from, ".tar.gz")
	if *tables == "" && !isArchive {
		fatalf("restore: -tables is required unless -from is an archive")
	}
	db, err := openDB(ctx, g.dsn)
	if err != nil {
		fatalf("restore: %v", err)
	}
	defer db.Close()
	r := dump.NewRestorer(db, *from, logger(&g))
	if isArchive {
		err = r.RestoreArchive(ctx, *from)
	} else {
		err = r.RestoreTables(ctx, splitList(*tables))
	}
	if err == nil && *verify && !isArchive {
		err = r.VerifyCounts(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrator: restore:", err)
		return exitFailure
	}
	return exitOK
}
