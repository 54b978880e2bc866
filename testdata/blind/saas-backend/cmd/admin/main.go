// Command admin is the operator CLI: inspect and purge jobs, export audit
// data, manage tenants.
//
// Exit codes: 0 ok, 1 operation failed, 2 usage error.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"time"

	"example.com/saas/internal/export"
	"example.com/saas/internal/fakedb"
	"example.com/saas/internal/jobs"
)

const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type command struct {
	name string
	help string
	fn   func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"stats", "job counts by state", cmdStats},
		{"list", "list a tenant's jobs", cmdList},
		{"purge", "delete finished jobs older than --age", cmdPurge},
		{"export-audit", "write the audit CSV", cmdExportAudit},
		{"diff", "compare two job CSV exports", cmdDiff},
		{"drain", "run queued jobs in the foreground", cmdDrain},
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.fn(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "admin: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: admin <command> [flags]")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.help)
	}
}

func openDB(dsn string) (*sql.DB, error) {
	db, err := fakedb.Open(dsn)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ping %s: %w", dsn, err)
	}
	return db, nil
}

// die prints the message and exits with exitFail.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "admin: "+format+"\n", args...)
	os.Exit(exitFail)
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func cmdStats(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("stats", stderr)
	dsn := fs.String("dsn", "dev", "database")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	db, err := openDB(*dsn)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	defer db.Close()
	counts, err := jobs.NewQueue(db).CountByState(context.Background())
	if err != nil {
		log.Fatalf("count jobs: %v", err) // HAZ exit-skips-defer
	}
	states := make([]string, 0, len(counts))
	for s := range counts {
		states = append(states, s)
	}
	sort.Strings(states)
	for _, s := range states {
		fmt.Fprintf(stdout, "%-8s %d\n", s, counts[s])
	}
	return exitOK
}

func cmdList(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("list", stderr)
	dsn := fs.String("dsn", "dev", "database")
	tenantID := fs.String("tenant", "", "tenant id (required)")
	state := fs.String("state", "", "filter by state")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *tenantID == "" {
		die("list: --tenant is required")
	}
	db, err := openDB(*dsn)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	defer db.Close()
	list, err := jobs.NewQueue(db).List(context.Background(), *tenantID, *state)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	if err := export.WriteJobsCSV(stdout, list); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	return exitOK
}

func cmdPurge(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("purge", stderr)
	dsn := fs.String("dsn", "dev", "database")
	age := fs.Duration("age", 30*24*time.Hour, "minimum age")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	db, err := openDB(*dsn)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	defer db.Close()
	n, err := jobs.NewQueue(db).Purge(context.Background(), time.Now().Add(-*age))
	if err != nil {
		die("purge: %v", err) // HAZ exit-skips-defer
	}
	fmt.Fprintf(stdout, "purged %d jobs\n", n)
	return exitOK
}

func cmdExportAudit(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("export-audit", stderr)
	out := fs.String("o", "audit.csv", "output file")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	rows := []export.AuditRow{{At: time.Now(), Actor: "admin-cli", Action: "export", Target: *out}}
	if err := export.AuditCSVFile(*out, rows); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return exitOK
}

// cmdDiff prints the job ids present in the first export but not the second.
func cmdDiff(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: admin diff OLD.csv NEW.csv")
		return exitUsage
	}
	f, err := os.Open(args[0])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	defer f.Close() // HAZ defer-eager-evaluation
	old, err := idsOf(f)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	f, err = os.Open(args[1])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	cur, err := idsOf(f)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	for id := range old {
		if !cur[id] {
			fmt.Fprintln(stdout, id)
		}
	}
	return exitOK
}

func idsOf(r io.Reader) (map[string]bool, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if i == 0 || line == "" {
			continue
		}
		id, _, _ := strings.Cut(line, ",")
		ids[id] = true
	}
	return ids, nil
}

func cmdDrain(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("drain", stderr)
	dsn := fs.String("dsn", "dev", "database")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up after")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	db, err := openDB(*dsn)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	pool := jobs.NewPool(jobs.NewQueue(db), jobs.Config{Name: "admin"}, log.New(stderr, "drain ", 0))
	pool.Register("noop", func(context.Context, *jobs.Job) error { return nil })
	n, err := pool.Drain(ctx)
	fmt.Fprintf(stdout, "ran %d jobs\n", n)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	return exitOK
}
