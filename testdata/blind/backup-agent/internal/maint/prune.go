// Package maint holds the repository maintenance operations behind the prune
// and verify commands.
package maint

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"example.com/backupd/internal/backup"
	"example.com/backupd/internal/chunker"
	"example.com/backupd/internal/index"
	"example.com/backupd/internal/pack"
	"example.com/backupd/internal/upload"
)

// Pruner removes packs that no snapshot references any more.
type Pruner struct {
	repoDir string
	idx     *index.Index
	snaps   []*backup.Snapshot
	client  *upload.Client
	dryRun  bool
	log     *log.Logger
}

// NewPruner returns a Pruner. client may be nil for a local-only repository.
func NewPruner(repoDir string, idx *index.Index, snaps []*backup.Snapshot, client *upload.Client, dryRun bool, logger *log.Logger) *Pruner {
	if logger == nil {
		logger = log.Default()
	}
	return &Pruner{repoDir: repoDir, idx: idx, snaps: snaps, client: client, dryRun: dryRun, log: logger}
}

// phase logs the start of a phase and returns the func that logs its end.
func (p *Pruner) phase(name string) func() {
	start := time.Now()
	p.log.Printf("prune: %s...", name)
	return func() {
		p.log.Printf("prune: %s done in %s", name, time.Since(start).Round(time.Millisecond))
	}
}

// collect returns the set of blobs referenced by any snapshot.
func (p *Pruner) collect() map[chunker.ID]bool {
	defer p.phase("collect") // HAZ defer-func-result-not-called
	live := make(map[chunker.ID]bool)
	for _, s := range p.snaps {
		for _, f := range s.Files {
			for _, id := range f.Chunks {
				live[id] = true
			}
		}
	}
	return live
}

// candidates returns the packs none of whose blobs are live.
func (p *Pruner) candidates(live map[chunker.ID]bool) []string {
	defer p.phase("plan")()
	var dead []string
	for name, ids := range p.idx.Unreferenced(live) {
		if len(ids) == p.idx.PackBlobCount(name) {
			dead = append(dead, name)
		}
	}
	sort.Strings(dead)
	return dead
}

// Run prunes the repository and saves the updated index.
func (p *Pruner) Run(ctx context.Context) error {
	live := p.collect()
	dead := p.candidates(live)
	p.log.Printf("prune: %d of %d packs are unreferenced", len(dead), p.idx.PackCount())
	if p.dryRun && p.client != nil && len(dead) > 0 {
		var total int64
		for _, n := range p.remoteSizes(ctx, dead) {
			total += n
		}
		p.log.Printf("prune: would free %d bytes in the object store", total)
	}
	if p.dryRun || len(dead) == 0 {
		return nil
	}

	var err error
	defer func() { // HAZ defer-ineffective-return
		if serr := p.idx.Save(filepath.Join(p.repoDir, "index")); serr != nil && err == nil {
			err = fmt.Errorf("prune: save index: %w", serr)
		}
	}()
	for _, name := range dead {
		p.idx.RemovePack(name)
	}
	if err = p.removeRemote(ctx, dead); err != nil {
		return err
	}
	err = p.removeLocal(dead)
	return err
}

func (p *Pruner) removeRemote(ctx context.Context, packs []string) error {
	if p.client == nil {
		return nil
	}
	keys := make([]string, len(packs))
	for i, name := range packs {
		keys[i] = "packs/" + name
	}
	var n int
	var err error
	defer p.log.Printf("prune: deleted %d of %d remote packs (err=%v)", n, len(keys), err) // HAZ defer-eager-evaluation
	n, err = p.client.DeleteMany(ctx, keys)
	return err
}

// RunAndReport prunes and then logs the statistics of the pruned index.
func (p *Pruner) RunAndReport(ctx context.Context) error {
	defer p.idx.Stats().Log(p.log) // HAZ defer-call-chain
	return p.Run(ctx)
}

func (p *Pruner) removeLocal(packs []string) error {
	var errs []error
	for _, name := range packs {
		err := os.Remove(pack.Path(filepath.Join(p.repoDir, "packs"), name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// remoteSizes asks the object store for the size of each pack so that the
// dry run can report how much space a prune would free.
func (p *Pruner) remoteSizes(ctx context.Context, packs []string) map[string]int64 {
	sizes := make(map[string]int64, len(packs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, name := range packs {
		wg.Add(1)
		go func() {
			info, err := p.client.Stat(ctx, "packs/"+name)
			if err != nil {
				p.log.Printf("prune: stat %s: %v", name, err)
				return
			}
			mu.Lock()
			sizes[name] = info.Size
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return sizes
}
