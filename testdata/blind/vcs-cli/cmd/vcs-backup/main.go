// Command vcs-backup writes a bundle of the repository at a fixed interval
// and keeps the newest few.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"

	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/pack"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/repo"
)

var notifiers = map[string]func(){
	"none": func() {},
	"bell": func() { fmt.Fprint(os.Stderr, "\a") },
}

// backupOnce packs every loose object and writes a bundle into dir.
func backupOnce(r *repo.Repo, dir, notify string) error {
	done := notifiers[notify]
	defer done() // HAZ defer-nil-func
	all, err := r.Refs.List("refs/")
	if err != nil {
		return err
	}
	var ids []object.ID
	err = r.Objects.ForEach(func(id object.ID, _ os.FileInfo) error {
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return err
	}
	name, err := pack.Build(r.PackDir(), r.Objects, ids)
	if err != nil {
		return err
	}
	out := filepath.Join(dir, time.Now().UTC().Format("20060102T150405Z")+".bundle")
	return pack.WriteBundle(out, all, filepath.Join(r.PackDir(), name+".pack"))
}

// rotate deletes all but the newest keep bundles in dir.
func rotate(dir string, keep int) error {
	bundles, err := filepath.Glob(filepath.Join(dir, "*.bundle"))
	if err != nil {
		return err
	}
	sort.Strings(bundles)
	for len(bundles) > keep {
		if err := os.Remove(bundles[0]); err != nil {
			return err
		}
		bundles = bundles[1:]
	}
	return nil
}

func main() {
	root := flag.String("repo", ".", "repository to back up")
	dir := flag.String("out", "backups", "directory receiving the bundles")
	every := flag.Duration("every", 6*time.Hour, "time between backups")
	keep := flag.Int("keep", 8, "number of bundles to keep")
	notify := flag.String("notify", "none", "what to do after each backup (none, bell)")
	flag.Parse()

	r, err := repo.Open(*root)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	lf, err := refs.Acquire(filepath.Join(r.Dir, "backup"))
	if err != nil {
		log.Fatal(err)
	}
	defer lf.Rollback() // HAZ signal-skips-defer

	t := time.NewTicker(*every)
	defer t.Stop()
	for range t.C {
		if err := backupOnce(r, *dir, *notify); err != nil {
			log.Printf("vcs-backup: %v", err)
			continue
		}
		if err := rotate(*dir, *keep); err != nil {
			log.Printf("vcs-backup: rotate: %v", err)
		}
	}
}
