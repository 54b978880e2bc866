package main

import (
	"flag"
	"fmt"
	"log"
	"path/filepath"

	"example.com/backupd/internal/lockfile"
	"example.com/backupd/internal/repo"
	"example.com/backupd/internal/seal"
)

// initRepo implements `backupd init -repo DIR`: create the repository
// layout and a fresh master key.
func initRepo(args []string) {
	fs := flag.NewFlagSet("init", flag.ExitOnError)
	dir := fs.String("repo", "", "repository directory to create")
	fs.Parse(args)
	if *dir == "" {
		log.Fatal("backupd init: -repo is required")
	}
	key, err := seal.NewKey()
	if err != nil {
		log.Fatalf("backupd init: %v", err)
	}
	if err := repo.Init(*dir); err != nil {
		log.Fatalf("backupd init: %v", err)
	}

	// Keep a concurrently started daemon away until the key exists.
	lock, err := lockfile.Acquire(filepath.Join(*dir, "backupd.lock"), "init")
	if err != nil {
		log.Fatalf("backupd init: %v", err)
	}
	defer lock.Release()
	if err := seal.WriteKeyFile(filepath.Join(*dir, "key"), key); err != nil {
		log.Fatalf("backupd init: write key: %v", err) // HAZ exit-skips-defer
	}
	fmt.Printf("created repository %s; keep a copy of %s somewhere safe\n", *dir, filepath.Join(*dir, "key"))
}
