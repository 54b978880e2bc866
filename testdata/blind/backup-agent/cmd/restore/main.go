// Command restore restores a snapshot into a directory or a .tar.gz file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	"example.com/backupd/internal/backup"
	"example.com/backupd/internal/repo"
	"example.com/backupd/internal/restore"
	"example.com/backupd/internal/seal"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "restore: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	repoDir := fs.String("repo", "", "repository directory")
	snapID := fs.String("snapshot", "", "snapshot id (default: latest)")
	target := fs.String("target", "", "directory to restore into")
	tarOut := fs.String("tar", "", "write a .tar.gz instead (- for stdout)")
	list := fs.Bool("list", false, "only list the files of the snapshot")
	check := fs.Bool("check", false, "compare an earlier restore with the snapshot")
	workers := fs.Int("j", runtime.NumCPU(), "parallel file restores")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *repoDir == "" {
		return errors.New("-repo is required")
	}

	snap, err := findSnapshot(filepath.Join(*repoDir, "snapshots"), *snapID)
	if err != nil {
		return err
	}
	if *list {
		return snap.WriteManifestTo(os.Stdout)
	}

	key, err := seal.LoadKeyFile(filepath.Join(*repoDir, "key"))
	if err != nil {
		return err
	}
	rp, err := repo.Open(*repoDir, key, nil)
	if err != nil {
		return err
	}
	r := restore.New(rp, *target, *workers, log.New(os.Stderr, "restore: ", 0))

	if *tarOut != "" {
		return exportTar(r, snap, *tarOut)
	}
	if *target == "" {
		return errors.New("-target or -tar is required")
	}
	if *check {
		bad, err := r.CompareTree(snap)
		for _, p := range bad {
			fmt.Println("differs:", p)
		}
		return err
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigc := make(chan os.Signal, 2)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigc)
	go func() {
		<-sigc
		fmt.Fprintln(os.Stderr, "restore: interrupted, finishing the files in progress (interrupt again to abort)")
		cancel()
		<-sigc
		os.Exit(130)
	}()
	return r.Run(ctx, snap)
}

func findSnapshot(dir, id string) (*backup.Snapshot, error) {
	if id != "" {
		return backup.Load(filepath.Join(dir, id+".snap"))
	}
	snaps, err := backup.List(dir)
	if err != nil {
		return nil, err
	}
	if len(snaps) == 0 {
		return nil, fmt.Errorf("no snapshots in %s", dir)
	}
	return snaps[len(snaps)-1], nil
}

func exportTar(r *restore.Restorer, snap *backup.Snapshot, path string) error {
	if path == "-" {
		return r.ExportTar(snap, os.Stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := r.ExportTar(snap, f); err != nil {
		return err
	}
	return f.Close()
}
