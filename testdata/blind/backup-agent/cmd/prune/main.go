// Command prune deletes packs that no snapshot references any more, locally
// and in the object store.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"example.com/backupd/internal/backup"
	"example.com/backupd/internal/index"
	"example.com/backupd/internal/lockfile"
	"example.com/backupd/internal/maint"
	"example.com/backupd/internal/upload"
)

func main() {
	repoDir := flag.String("repo", "", "repository directory")
	remote := flag.String("remote", "", "object store URL (empty: local only)")
	dryRun := flag.Bool("n", false, "only report what would be deleted")
	flag.Parse()
	log.SetPrefix("prune: ")
	if *repoDir == "" {
		log.Fatal("-repo is required")
	}

	lock, err := lockfile.Acquire(filepath.Join(*repoDir, "backupd.lock"), "prune")
	if err != nil {
		log.Fatal(err)
	}
	defer lock.Release()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := prune(ctx, *repoDir, *remote, *dryRun); err != nil {
		log.Fatalf("%v", err) // HAZ exit-skips-defer
	}
}

func prune(ctx context.Context, repoDir, remote string, dryRun bool) error {
	idx, err := index.Load(filepath.Join(repoDir, "index"))
	if err != nil {
		return err
	}
	snaps, err := backup.List(filepath.Join(repoDir, "snapshots"))
	if err != nil {
		return err
	}
	var client *upload.Client
	if remote != "" {
		if client, err = upload.NewClient(remote, upload.WithToken(os.Getenv("BACKUPD_TOKEN"))); err != nil {
			return err
		}
	}
	return maint.NewPruner(repoDir, idx, snaps, client, dryRun, log.Default()).Run(ctx)
}
