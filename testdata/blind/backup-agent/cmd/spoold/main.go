// Command spoold is a small sidecar for hosts where backupd runs as a
// one-shot job: it keeps uploading whatever packs are left in the spool
// directory.
package main

import (
	"context"
	"flag"
	"log"
	"path/filepath"
	"time"

	"example.com/backupd/internal/lockfile"
	"example.com/backupd/internal/upload"
)

func main() {
	repoDir := flag.String("repo", "", "repository directory")
	remote := flag.String("remote", "", "object store URL")
	every := flag.Duration("every", time.Minute, "spool scan interval")
	flag.Parse()
	if *repoDir == "" || *remote == "" {
		log.Fatal("spoold: -repo and -remote are required")
	}
	client, err := upload.NewClient(*remote)
	if err != nil {
		log.Fatal(err)
	}

	lock, err := lockfile.Acquire(filepath.Join(*repoDir, "spoold.lock"), "spoold")
	if err != nil {
		log.Fatal(err)
	}
	defer lock.Release() // HAZ signal-skips-defer

	up := upload.NewUploader(client, 2, 64<<20, nil)
	spool := filepath.Join(*repoDir, "spool")
	for {
		if err := up.Drain(context.Background(), spool); err != nil {
			log.Printf("spoold: %v", err)
		}
		time.Sleep(*every)
	}
}
