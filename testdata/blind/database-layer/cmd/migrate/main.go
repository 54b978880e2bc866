// Command migrate applies the embedded schema migrations.
//
//	migrate [-dsn DSN] [-lock ID] up|status|plan|verify
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"example.com/databaselayer/internal/fakedb"
	"example.com/databaselayer/migrate"
)

type config struct {
	dsn    string
	lockID int64
	dir    string
	cmd    string
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	var cfg config
	fs.StringVar(&cfg.dsn, "dsn", "app", "database to migrate")
	fs.Int64Var(&cfg.lockID, "lock", 0, "advisory lock id (0: default)")
	fs.StringVar(&cfg.dir, "dir", "", "load migrations from this directory instead of the embedded ones")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() != 1 {
		return cfg, errors.New("usage: migrate [flags] up|status|plan|verify")
	}
	cfg.cmd = fs.Arg(0)
	return cfg, nil
}

func loadMigrations(cfg config) ([]migrate.Migration, error) {
	if cfg.dir == "" {
		return migrate.Embedded(), nil
	}
	return migrate.LoadDir(cfg.dir)
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(run(cfg))
}

func run(cfg config) int {
	logger := log.New(os.Stderr, "migrate: ", log.LstdFlags)
	ms, err := loadMigrations(cfg)
	if err != nil {
		logger.Print(err)
		return 1
	}
	db, err := sql.Open(fakedb.DriverName, cfg.dsn)
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer db.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := migrate.New(db, logger, migrate.Options{LockID: cfg.lockID}, ms)
	switch cfg.cmd {
	case "up":
		n, err := m.Up(ctx)
		if err != nil {
			logger.Print(err)
			return 1
		}
		logger.Printf("applied %d migrations", n)
	case "status":
		if err := m.Status(ctx, os.Stdout); err != nil {
			logger.Print(err)
			return 1
		}
	case "plan":
		pending, err := m.Plan(ctx, true)
		if err != nil {
			logger.Print(err)
			return 1
		}
		for _, mig := range pending {
			fmt.Printf("%04d %s\n", mig.Version, mig.Name)
		}
	case "verify":
		if err := m.Verify(ctx, migrate.VerifyOptions{DryRun: true}); err != nil {
			logger.Print(err)
			return 1
		}
	default:
		logger.Printf("unknown command %q", cfg.cmd)
		return 2
	}
	return 0
}
