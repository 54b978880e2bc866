package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	"example.com/registry/internal/blobstore"
	"example.com/registry/internal/index"
)

// batchSize bounds the number of blobs copied concurrently.
const batchSize = 8

type syncer struct {
	primary string
	store   *blobstore.Store
	idx     *index.Index
	hc      *http.Client
	timeout time.Duration
	every   time.Duration
	log     *log.Logger
}

// loop syncs on every tick, for the life of the process.
func (s *syncer) loop() {
	t := time.NewTicker(s.every)
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := s.syncOnce(ctx); err != nil {
			s.log.Printf("sync: %v", err)
		}
	}
}

// syncOnce fetches the primary's index and copies the blobs this mirror
// lacks, batchSize at a time. A panic while copying one blob is logged and
// the sync goes on.
func (s *syncer) syncOnce(ctx context.Context) error {
	entries, err := s.fetchIndex(ctx)
	if err != nil {
		return err
	}
	var missing []index.Entry
	for _, e := range entries {
		if _, ok := s.idx.Lookup(e.Module, e.Version); !ok {
			missing = append(missing, e)
		}
	}
	for len(missing) > 0 {
		batch := missing[:min(batchSize, len(missing))]
		missing = missing[len(batch):]
		var wg sync.WaitGroup
		for _, e := range batch {
			wg.Add(1)
			go func() {
				defer func() {
					if r := recover(); r != nil {
						s.log.Printf("sync: %s@%s: panic: %v", e.Module, e.Version, r)
					}
				}()
				if err := s.mirrorOne(ctx, e); err != nil {
					s.log.Printf("sync: %s@%s: %v", e.Module, e.Version, err)
				}
				wg.Done() // HAZ waitgroup-done-path
			}()
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// mirrorOne copies the blob of e from the primary and records e locally.
func (s *syncer) mirrorOne(ctx context.Context, e index.Entry) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.primary+"/blobs/"+e.Digest, nil)
	if err != nil {
		return err
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("blob %s: %s", e.Digest, resp.Status)
	}
	d, err := s.store.Put(resp.Body)
	if err != nil {
		return err
	}
	if string(d) != e.Digest {
		return fmt.Errorf("blob %s arrived as %s", e.Digest, d)
	}
	s.store.AddRef(d)
	s.idx.Add(e)
	return nil
}

// fetchIndex downloads and decodes the primary's index.
func (s *syncer) fetchIndex(ctx context.Context) ([]index.Entry, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.primary+"/index.jsonl", nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("index: %s", resp.Status)
	}
	var entries []index.Entry
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var e index.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("index: %w", err)
		}
		entries = append(entries, e)
	}
	return entries, sc.Err()
}
