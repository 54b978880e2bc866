package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"path/filepath"
	"sync"
)

// Shard is a group of tables scanned by one goroutine.
type Shard struct {
	Tables []TableInfo
}

// scanShard sends every entry of sh on out until ctx is done.
func (e *Engine) scanShard(ctx context.Context, sh Shard, out chan<- Entry) error {
	for _, t := range sh.Tables {
		entries, err := ReadTable(filepath.Join(e.dir, t.Name))
		if err != nil {
			return err
		}
		for _, ent := range entries {
			select {
			case out <- ent:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return nil
}

// ScanShards streams the entries of every shard into out, one goroutine per
// shard, and closes out when it returns.
func (e *Engine) ScanShards(ctx context.Context, shards []Shard, out chan<- Entry) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(shards))
	for _, sh := range shards {
		go func() { errc <- e.scanShard(ctx, sh, out) }()
	}
	for range shards {
		if err := <-errc; err != nil {
			return fmt.Errorf("scan: %w", err)
		}
	}
	return nil
}

// ScanAll is like ScanShards, but the first failure cancels the other
// shards and out is closed only after every shard goroutine has returned.
func (e *Engine) ScanAll(ctx context.Context, shards []Shard, out chan<- Entry) error {
	defer close(out)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var wg sync.WaitGroup
	errs := make([]error, len(shards))
	for i, sh := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[i] = e.scanShard(ctx, sh, out); errs[i] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Iterate streams the live entries with the given prefix. The producing
// goroutine is the only sender and closes the channel when it is done.
func (e *Engine) Iterate(ctx context.Context, prefix []byte) <-chan Entry {
	out := make(chan Entry)
	go func() {
		defer close(out)
		entries, err := e.snapshotEntries(ctx)
		if err != nil {
			log.Printf("storage: iterate: %v", err)
			return
		}
		for _, ent := range entries {
			if !bytes.HasPrefix(ent.Key, prefix) {
				continue
			}
			select {
			case out <- ent:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Merge fans several entry streams into one. The returned channel is closed
// by a separate goroutine once every forwarding goroutine has returned.
func Merge(ctx context.Context, ins ...<-chan Entry) <-chan Entry {
	out := make(chan Entry)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ent := range in {
				select {
				case out <- ent:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
