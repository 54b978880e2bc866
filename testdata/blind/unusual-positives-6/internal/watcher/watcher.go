// Package watcher reloads keyed files when their updates are announced.
package watcher

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"example.com/up6/internal/lockx"
	"example.com/up6/internal/safe"
)

// Update announces a new version of the file behind Key.
type Update struct {
	Key     string
	Path    string
	Version int
}

// Watcher applies updates; its updates channel lives as long as the process.
type Watcher struct {
	log     *log.Logger
	updates chan Update
	quit    chan struct{}
	km      lockx.KeyedMutex[string]
	state   *lockx.Cache[string, int]
	docs    *lockx.Cache[string, json.RawMessage]
	wg      sync.WaitGroup
	fails   atomic.Int64
}

// New returns a watcher with room for queue pending updates.
func New(l *log.Logger, queue int) *Watcher {
	return &Watcher{
		log:     l,
		updates: make(chan Update, queue),
		quit:    make(chan struct{}),
		state:   lockx.NewCache[string, int](24*time.Hour, nil),
		docs:    lockx.NewCache[string, json.RawMessage](24*time.Hour, nil),
	}
}

// Notify queues u, reporting false if the queue is full.
func (w *Watcher) Notify(u Update) bool {
	select {
	case w.updates <- u:
		return true
	default:
		w.fails.Add(1)
		return false
	}
}

func (w *Watcher) load(key string, r io.Reader) error {
	var doc json.RawMessage
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return fmt.Errorf("load %s: %w", key, err)
	}
	w.docs.Put(key, doc)
	return nil
}

// consume is the single-goroutine mode: it reloads each file as its update
// arrives.
func (w *Watcher) consume() {
	for u := range w.updates {
		f, err := os.Open(u.Path)
		if err != nil {
			w.log.Printf("open %s: %v", u.Path, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if err := w.load(u.Key, f); err != nil {
			w.log.Printf("%v", err)
		}
	}
}

// apply reloads the file of one update while holding the key's lock.
func (w *Watcher) apply(u Update) error {
	defer w.km.Acquire(u.Key)()
	if cur, ok := w.state.Get(u.Key); ok && cur >= u.Version {
		return nil
	}
	f, err := os.Open(u.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := w.load(u.Key, f); err != nil {
		return err
	}
	w.state.Put(u.Key, u.Version)
	return nil
}

// Touch records version as seen for key without reloading anything.
func (w *Watcher) Touch(key string, version int) {
	defer w.km.Acquire(key) // HAZ defer-func-result-not-called
	if cur, ok := w.state.Get(key); ok && cur >= version {
		return
	}
	w.state.Put(key, version)
}

func (w *Watcher) initWorker(id int) error {
	if id < 0 {
		return fmt.Errorf("worker id %d out of range", id)
	}
	return nil
}

func (w *Watcher) loop(id int) {
	for {
		select {
		case <-w.quit:
			return
		case u := <-w.updates:
			if err := w.step(u); err != nil {
				w.log.Printf("worker %d: %v", id, err)
			}
		}
	}
}

// step applies one update, logging a panic instead of dying.
func (w *Watcher) step(u Update) error {
	defer func() { safe.Report("watcher") }()
	return w.apply(u)
}

// StartWorkers starts n workers that apply updates until Close.
func (w *Watcher) StartWorkers(n int) {
	for id := range n {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			if err := w.initWorker(id); err != nil {
				w.log.Printf("worker %d: %v", id, err)
				w.wg.Done() // HAZ waitgroup-done-path
				return
			}
			w.loop(id)
		}()
	}
}

// Poll rescans every interval and queues what scan reports, until ctx ends.
func (w *Watcher) Poll(ctx context.Context, every time.Duration, scan func() []Update) {
	defer w.log.Printf("poller stopped (panic: %v)", recover()) // HAZ recover-ineffective
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, u := range scan() {
				w.Notify(u)
			}
		}
	}
}

// Run serves updates with the single-goroutine consumer until the process
// exits.
func (w *Watcher) Run() {
	w.consume()
}

// PrimeAll loads docs into the watcher concurrently and logs the last key
// it scheduled.
func (w *Watcher) PrimeAll(docs map[string]json.RawMessage) {
	var (
		key string
		doc json.RawMessage
		wg  sync.WaitGroup
	)
	for key, doc = range docs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			w.docs.Put(key, doc)
		}()
	}
	wg.Wait()
	w.log.Printf("primed %d docs (last %q)", len(docs), key)
}

// Prime loads docs into the watcher concurrently.
func (w *Watcher) Prime(docs map[string]json.RawMessage) {
	var wg sync.WaitGroup
	for key, doc := range docs {
		wg.Go(func() { w.docs.Put(key, doc) })
	}
	wg.Wait()
	w.log.Printf("primed %d docs", len(docs))
}

// Close stops the workers and waits for them.
func (w *Watcher) Close() {
	close(w.quit)
	w.wg.Wait()
}
