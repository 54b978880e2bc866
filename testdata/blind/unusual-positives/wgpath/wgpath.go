// Package wgpath coordinates goroutines with sync.WaitGroup, calling Done
// explicitly on some or all of their paths.
package wgpath

import (
	"context"
	"fmt"
	"log"
	"net"
	"path/filepath"
	"sync"
	"time"
)

// Event is a fan-in payload.
type Event struct{ Kind string }

// FanIn returns from inside select without calling Done; once ctx is
// cancelled wg.Wait never returns.
func FanIn(ctx context.Context, sources []<-chan Event, out chan<- Event) {
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case ev, ok := <-src:
					if !ok {
						wg.Done() // HAZ waitgroup-done-path
						return
					}
					select {
					case out <- ev:
					case <-ctx.Done():
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(out)
}

// Item is processed by ProcessAll.
type Item struct{ ID int }

// ProcessAll converts panics into errors, but a recovered panic leaves the
// goroutine before the explicit Done.
func ProcessAll(items []Item, process func(Item) error) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("item %d panicked: %v", it.ID, r)
				}
			}()
			errs[i] = process(it)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// Prefetch calls Done explicitly on the error path although it is also
// deferred: the counter goes negative and WaitGroup panics.
func Prefetch(keys []string, fetch func(string) error) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fetch(k); err != nil {
				log.Printf("prefetch %s: %v", k, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			log.Printf("prefetched %s", k)
		}()
	}
	wg.Wait()
}

// UploadParts returns early for empty parts, skipping Done.
func UploadParts(parts [][]byte, put func(int, []byte) error) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(parts))
	for i, p := range parts {
		wg.Add(1)
		go func() {
			if len(p) == 0 {
				errc <- fmt.Errorf("part %d is empty", i)
				return
			}
			if err := put(i, p); err != nil {
				errc <- err
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// Doc is indexed by indexWorker.
type Doc struct{ ID, Body string }

// Index is a concurrent document index.
type Index struct {
	mu   sync.Mutex
	docs map[string]string
}

// Add stores d.
func (x *Index) Add(d Doc) {
	x.mu.Lock()
	x.docs[d.ID] = d.Body
	x.mu.Unlock()
}

// indexWorker runs as a goroutine (see StartIndexers) and returns early on a
// document without an ID, skipping Done.
func indexWorker(wg *sync.WaitGroup, docs <-chan Doc, idx *Index) {
	for d := range docs {
		if d.ID == "" {
			log.Printf("index worker: document without id, stopping")
			return
		}
		idx.Add(d)
	}
	wg.Done() // HAZ waitgroup-done-path
}

// StartIndexers starts n index workers.
func StartIndexers(n int, docs <-chan Doc, idx *Index) *sync.WaitGroup {
	wg := new(sync.WaitGroup)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go indexWorker(wg, docs, idx)
	}
	return wg
}

// ConvertImages adds one count per path but `continue` skips the per-path Done.
func ConvertImages(paths []string, convert func(string) error) {
	var wg sync.WaitGroup
	wg.Add(len(paths))
	go func() {
		for _, p := range paths {
			if filepath.Ext(p) == "" {
				continue
			}
			if err := convert(p); err != nil {
				log.Printf("convert %s: %v", p, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}
	}()
	wg.Wait()
}

// Broadcast calls Done only in the delivery case of the select.
func Broadcast(ctx context.Context, subs []chan<- string, msg string) {
	var wg sync.WaitGroup
	for _, s := range subs {
		wg.Add(1)
		go func() {
			select {
			case s <- msg:
				wg.Done() // HAZ waitgroup-done-path
			case <-ctx.Done():
			}
		}()
	}
	wg.Wait()
}

// Poller polls a remote endpoint in its own goroutine.
type Poller struct {
	wg    sync.WaitGroup
	quit  chan struct{}
	addr  string
	every time.Duration
}

// Start launches the poll loop.
func (p *Poller) Start() {
	p.wg.Add(1)
	go p.run()
}

// run returns early when the first dial fails, skipping Done; Stop then hangs.
func (p *Poller) run() {
	conn, err := net.DialTimeout("tcp", p.addr, time.Second)
	if err != nil {
		log.Printf("poller: %v", err)
		return
	}
	t := time.NewTicker(p.every)
loop:
	for {
		select {
		case <-p.quit:
			break loop
		case <-t.C:
			if _, err := conn.Write([]byte("PING\n")); err != nil {
				log.Printf("poller: %v", err)
			}
		}
	}
	t.Stop()
	conn.Close()
	p.wg.Done() // HAZ waitgroup-done-path
}

// Stop ends the poll loop and waits for it.
func (p *Poller) Stop() {
	close(p.quit)
	p.wg.Wait()
}

// ---- negatives ----

// FanInDeferred defers Done first; every return in the select is covered.
func FanInDeferred(ctx context.Context, sources []<-chan Event, out chan<- Event) {
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case ev, ok := <-src:
					if !ok {
						return
					}
					select {
					case out <- ev:
					case <-ctx.Done():
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(out)
}

// BroadcastAllPaths calls Done explicitly in both select cases.
func BroadcastAllPaths(ctx context.Context, subs []chan<- string, msg string) {
	var wg sync.WaitGroup
	for _, s := range subs {
		wg.Add(1)
		go func() {
			select {
			case s <- msg:
				wg.Done()
			case <-ctx.Done():
				wg.Done()
			}
		}()
	}
	wg.Wait()
}

// ProcessAllSafe calls Done from the deferred recover handler, which runs on
// both the normal and the panicking path.
func ProcessAllSafe(items []Item, process func(Item) error) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("item %d panicked: %v", it.ID, r)
				}
				wg.Done()
			}()
			errs[i] = process(it)
		}()
	}
	wg.Wait()
	return errs
}

// UploadPartsAllPaths calls Done before the early return and at the end.
func UploadPartsAllPaths(parts [][]byte, put func(int, []byte) error) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(parts))
	for i, p := range parts {
		wg.Add(1)
		go func() {
			if len(p) == 0 {
				errc <- fmt.Errorf("part %d is empty", i)
				wg.Done()
				return
			}
			if err := put(i, p); err != nil {
				errc <- err
			}
			wg.Done()
		}()
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// indexWorkerDeferred defers Done in a named worker with an early return.
func indexWorkerDeferred(wg *sync.WaitGroup, docs <-chan Doc, idx *Index) {
	defer wg.Done()
	for d := range docs {
		if d.ID == "" {
			log.Printf("index worker: document without id, stopping")
			return
		}
		idx.Add(d)
	}
}

// StartIndexersDeferred starts the deferred-Done workers.
func StartIndexersDeferred(n int, docs <-chan Doc, idx *Index) *sync.WaitGroup {
	wg := new(sync.WaitGroup)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go indexWorkerDeferred(wg, docs, idx)
	}
	return wg
}

// ConvertImagesAllPaths calls Done before continuing.
func ConvertImagesAllPaths(paths []string, convert func(string) error) {
	var wg sync.WaitGroup
	wg.Add(len(paths))
	go func() {
		for _, p := range paths {
			if filepath.Ext(p) == "" {
				wg.Done()
				continue
			}
			if err := convert(p); err != nil {
				log.Printf("convert %s: %v", p, err)
			}
			wg.Done()
		}
	}()
	wg.Wait()
}
