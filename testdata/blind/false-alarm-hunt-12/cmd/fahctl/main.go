// Command fahctl is the maintenance CLI for a record store.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"time"

	"example.com/fah12/internal/config"
	"example.com/fah12/internal/store"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: fahctl [flags] verify|compact|migrate FROM TO|export FILE")
		flag.PrintDefaults()
		os.Exit(2)
	}
	dir := flag.String("data", "", "data directory (default from config)")
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
	}
	os.Exit(dispatch(*dir, flag.Args()))
}

func dispatch(dir string, args []string) int {
	cfg, _, err := config.Find(config.Candidates("fah12.json"))
	if err != nil {
		cfg = &config.Config{DataDir: "./data"}
	}
	if dir != "" {
		cfg.DataDir = dir
	}
	switch args[0] {
	case "verify":
		return cmdVerify(cfg)
	case "compact":
		return cmdCompact(cfg)
	case "migrate":
		if len(args) != 3 {
			fmt.Fprintln(os.Stderr, "migrate needs FROM and TO")
			return 2
		}
		cmdMigrate(cfg, args[1], args[2])
		return 0
	case "gc":
		cmdGC(cfg)
		return 0
	case "export":
		if len(args) != 2 {
			fmt.Fprintln(os.Stderr, "export needs FILE")
			return 2
		}
		return cmdExport(cfg, args[1])
	}
	fmt.Fprintf(os.Stderr, "unknown command %q\n", args[0])
	return 2
}

// cmdVerify exits only before it registers any defer; later failures return a code.
func cmdVerify(cfg *config.Config) int {
	st, err := store.Open(cfg.DataDir, config.Logger(cfg))
	if err != nil {
		log.Fatalf("verify: %v", err)
	}
	defer st.Close()
	if err := st.Verify(); err != nil {
		fmt.Fprintln(os.Stderr, "verify:", err)
		return 1
	}
	return 0
}

func cmdCompact(cfg *config.Config) int {
	st, err := store.Open(cfg.DataDir, config.Logger(cfg))
	if err != nil {
		fmt.Fprintln(os.Stderr, "compact:", err)
		return 1
	}
	defer st.Close()
	err = st.WithLease("compact", func() error {
		n, err := st.Compact()
		slog.Info("compacted", "records", n)
		return err
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "compact:", err)
		return 1
	}
	return 0
}

// cmdMigrate holds the migrate lease while it rewrites owners.
func cmdMigrate(cfg *config.Config, from, to string) {
	st, err := store.Open(cfg.DataDir, config.Logger(cfg))
	if err != nil {
		log.Fatalf("migrate: %v", err)
	}
	lease, err := st.Acquire("migrate-cli")
	if err != nil {
		log.Fatalf("migrate: %v", err)
	}
	defer lease.Release()
	ids, err := st.IDs()
	if err != nil {
		log.Fatalf("migrate: list: %v", err) // HAZ exit-skips-defer
	}
	for _, id := range ids {
		rec, err := st.Load(id)
		if err != nil {
			fmt.Fprintln(os.Stderr, "skip", id, err)
			continue
		}
		if rec.Owner == from {
			rec.Owner = to
			if err := st.Save(rec); err != nil {
				fmt.Fprintln(os.Stderr, "save", id, err)
			}
		}
	}
}

// cmdExport bounds the export with a timeout; the exit in the watchdog literal
// is not on the path of this function's defers.
func cmdExport(cfg *config.Config, file string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	stop := context.AfterFunc(ctx, func() {
		if ctx.Err() == context.DeadlineExceeded {
			fmt.Fprintln(os.Stderr, "export: timed out")
			os.Exit(3)
		}
	})
	defer stop()
	st, err := store.Open(cfg.DataDir, config.Logger(cfg))
	if err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		return 1
	}
	defer st.Close()
	ids, err := st.IDs()
	if err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		return 1
	}
	recs := make([]store.Record, 0, len(ids))
	for _, id := range ids {
		rec, err := st.Load(id)
		if err != nil {
			fmt.Fprintln(os.Stderr, "export:", err)
			return 1
		}
		recs = append(recs, rec)
	}
	if err := store.ExportCSV(file, recs); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		return 1
	}
	return 0
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fahctl: "+format+"\n", args...)
	os.Exit(1)
}

// cmdGC prunes records without an owner while holding the gc lease.
func cmdGC(cfg *config.Config) {
	st, err := store.Open(cfg.DataDir, config.Logger(cfg))
	if err != nil {
		die("gc: %v", err)
	}
	lease, err := st.Acquire("gc")
	if err != nil {
		die("gc: %v", err)
	}
	defer lease.Release()
	n, err := st.Prune("", func(op string, d time.Duration) { slog.Info("timing", "op", op, "d", d) })
	if err != nil {
		die("gc: prune: %v", err) // HAZ exit-skips-defer
	}
	fmt.Println("pruned", n)
}
