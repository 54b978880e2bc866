// Command scheduler-lite runs the backup schedule without the status API,
// for hosts where only cron-like behaviour is wanted. It records its pid so
// that backupctl refuses to run concurrently.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/backupsched/internal/agent"
	"example.com/backupsched/internal/config"
	"example.com/backupsched/internal/metrics"
)

func main() {
	cfgPath := flag.String("config", "/etc/backupsched/backupsched.conf", "configuration file")
	flag.Parse()

	cfg, err := config.Load(*cfgPath)
	if err != nil {
		log.Fatal(err)
	}
	logger := log.New(os.Stderr, "scheduler-lite: ", log.LstdFlags)
	a, err := agent.New(cfg, metrics.NewRegistry(), logger)
	if err != nil {
		log.Fatal(err)
	}
	pidfile := filepath.Join(cfg.ArchiveDir, "backupctl.pid")
	if err := os.WriteFile(pidfile, []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o644); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(pidfile)

	go a.Runner().Loop(context.Background(), a.Scheduled(), 30*time.Second)
	logger.Printf("running %d targets", len(a.Scheduled()))
	select {} // HAZ signal-skips-defer
}
