// Command mqadmin inspects and repairs the job queue: list and export dead
// jobs, requeue them, replay dead-letter files, seed the schema.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	"example.com/mqworker/internal/deadletter"
	"example.com/mqworker/internal/queue"
	"example.com/mqworker/internal/store"
	"example.com/mqworker/internal/webhook"
)

type env struct {
	db   *store.DB
	repo *queue.Repo
	out  io.Writer
}

type command func(ctx context.Context, e *env, args []string) error

var commands = map[string]command{
	"dead":    cmdDead,
	"export":  cmdExport,
	"requeue": cmdRequeue,
	"replay":  cmdReplay,
	"hooks":   cmdCheckHooks,
}

func usage() {
	names := make([]string, 0, len(commands)+1)
	for name := range commands {
		names = append(names, name)
	}
	names = append(names, "migrate")
	sort.Strings(names)
	fmt.Fprintf(os.Stderr, "usage: mqadmin <command> [flags]\ncommands: %v\n", names)
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mqadmin: "+format+"\n", args...)
	os.Exit(1)
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

type seed struct {
	name  string
	query string
	args  []any
}

var seeds = []seed{
	{"default tenant", "INSERT INTO tenants (id, rate, burst) VALUES (?, ?, ?)", []any{"default", 5, 20}},
	{"system tenant", "INSERT INTO tenants (id, rate, burst) VALUES (?, ?, ?)", []any{"system", 50, 200}},
	{"schema version", "INSERT INTO meta (key, value) VALUES (?, ?)", []any{"schema", "3"}},
}

// migrate seeds the rows the worker expects.
func migrate(dsn string) error {
	db, err := store.Open(dsn)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		db.Close()
		return err
	}
	defer tx.Rollback() // HAZ defer-order-inverted
	defer db.Close()
	for _, s := range seeds {
		if _, err := tx.ExecContext(ctx, s.query, s.args...); err != nil {
			return fmt.Errorf("seed %s: %w", s.name, err)
		}
	}
	return tx.Commit()
}

func acquireLock(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	return errors.Join(werr, f.Close())
}

func releaseLock(path string) {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Printf("release %s: %v", path, err)
	}
}

func cmdDead(ctx context.Context, e *env, args []string) error {
	fset := flag.NewFlagSet("dead", flag.ContinueOnError)
	tenant := fset.String("tenant", "", "tenant id (required)")
	verbose := fset.Bool("v", false, "print store statistics when done")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *tenant == "" {
		return errors.New("-tenant is required")
	}
	if *verbose {
		defer e.db.Stats().Fprint(os.Stderr) // HAZ defer-call-chain
	}
	jobs, err := e.repo.ListDead(ctx, *tenant)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tATTEMPTS\tLAST ERROR")
	for _, j := range jobs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", j.ID, j.Kind, j.Attempts, j.LastError)
	}
	return tw.Flush()
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	fset := flag.NewFlagSet("export", flag.ContinueOnError)
	tenant := fset.String("tenant", "", "tenant id (required)")
	out := fset.String("o", "dead.csv", "output file")
	if err := fset.Parse(args); err != nil {
		return err
	}
	lock := *out + ".lock"
	if err := acquireLock(lock); err != nil {
		return fmt.Errorf("is another export running? %w", err)
	}
	defer releaseLock(lock)
	jobs, err := e.repo.ListDead(ctx, *tenant)
	if err != nil {
		return err
	}
	if len(jobs) == 0 {
		die("no dead jobs for tenant %q", *tenant) // HAZ exit-skips-defer
	}
	entries := make([]deadletter.Entry, 0, len(jobs))
	for _, j := range jobs {
		entries = append(entries, deadletter.Entry{
			JobID: j.ID, Tenant: j.Tenant, Kind: string(j.Kind), Attempts: j.Attempts,
			Error: j.LastError, FailedAt: j.RunAt,
		})
	}
	if err := deadletter.ExportCSV(*out, entries); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "wrote %d jobs to %s\n", len(entries), *out)
	return nil
}

func cmdRequeue(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: mqadmin requeue JOB_ID...")
	}
	n, err := e.repo.Requeue(ctx, args)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "requeued %d of %d jobs\n", n, len(args))
	return nil
}

func cmdReplay(ctx context.Context, e *env, args []string) error {
	fset := flag.NewFlagSet("replay", flag.ContinueOnError)
	dir := fset.String("dir", "./dead", "dead-letter directory")
	tenant := fset.String("tenant", "", "only replay this tenant")
	if err := fset.Parse(args); err != nil {
		return err
	}
	enqueue := func(ctx context.Context, en deadletter.Entry) error {
		return e.repo.Enqueue(ctx, &queue.Job{
			Tenant: en.Tenant, Kind: queue.Kind(en.Kind), Payload: en.Payload, MaxAttempts: 8,
		})
	}
	r := deadletter.NewReplayer(*dir, enqueue, nil, log.Default())
	var n int
	var err error
	if *tenant != "" {
		n, err = r.ReplayTenant(ctx, *tenant)
	} else {
		n, err = r.ReplayDir(ctx)
	}
	fmt.Fprintf(e.out, "replayed %d entries\n", n)
	return err
}

// cmdCheckHooks sends a HEAD to every registered endpoint and prints its
// status.
func cmdCheckHooks(ctx context.Context, e *env, args []string) error {
	fset := flag.NewFlagSet("hooks", flag.ContinueOnError)
	file := fset.String("endpoints", "endpoints.json", "endpoint registry export")
	if err := fset.Parse(args); err != nil {
		return err
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	var eps []webhook.Endpoint
	if err := json.Unmarshal(data, &eps); err != nil {
		return fmt.Errorf("%s: %w", *file, err)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	bad := 0
	for _, ep := range eps {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, ep.URL, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			fmt.Fprintf(e.out, "%s\tDOWN\t%v\n", ep.ID, err)
			bad++
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		fmt.Fprintf(e.out, "%s\t%d\n", ep.ID, resp.StatusCode)
		if resp.StatusCode >= 500 {
			bad++
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d endpoints unhealthy", bad, len(eps))
	}
	return nil
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	name, args := os.Args[1], os.Args[2:]
	dsn := envOr("MQ_DSN", "mem://jobs")
	if name == "migrate" {
		if err := migrate(dsn); err != nil {
			log.Fatalf("migrate: %v", err)
		}
		return
	}
	run, ok := commands[name]
	if !ok {
		usage()
		die("unknown command %q", name)
	}

	db, err := store.Open(dsn)
	if err != nil {
		log.Fatalf("open %s: %v", dsn, err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	e := &env{db: db, repo: queue.NewRepo(db, time.Minute, log.Default()), out: os.Stdout}
	if err := run(ctx, e, args); err != nil {
		log.Fatalf("%s: %v", name, err) // HAZ exit-skips-defer
	}
}
