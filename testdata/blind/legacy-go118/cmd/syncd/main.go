// Command syncd serves the sync API over HTTP.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"sort"
	"strings"
	"sync"

	"example.com/legacy118/internal/fsutil"
	"example.com/legacy118/internal/service"
)

type memBackend struct {
	mu sync.RWMutex
	m  map[string]string
}

func (b *memBackend) Get(ctx context.Context, key string) (string, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	v, ok := b.m[key]
	if !ok {
		return "", errors.New("not found")
	}
	return v, nil
}

func (b *memBackend) Put(ctx context.Context, key, val string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[key] = val
	return nil
}

func (b *memBackend) Keys(ctx context.Context, shard int) ([]string, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var keys []string
	for k := range b.m {
		if strings.HasPrefix(k, string(rune('a'+shard%26))) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys, nil
}

type localLease struct{ slot chan struct{} }

func (l localLease) Release() error {
	select {
	case <-l.slot:
		return nil
	default:
		return errors.New("lease not held")
	}
}

type localLeaser struct {
	mu    sync.Mutex
	slots map[string]chan struct{}
}

func (l *localLeaser) slot(name string) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.slots[name]
	if !ok {
		s = make(chan struct{}, 1)
		l.slots[name] = s
	}
	return s
}

func (l *localLeaser) Acquire(ctx context.Context, name string) (service.Lease, error) {
	s := l.slot(name)
	select {
	case s <- struct{}{}:
		return localLease{slot: s}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func main() {
	cfgPath := flag.String("config", "/etc/syncd.json", "config file")
	flag.Parse()

	cfg, err := fsutil.LoadConfigShared(*cfgPath, false)
	if err != nil {
		log.Fatalf("syncd: %v", err) // ok: nothing deferred yet
	}
	rot, err := service.OpenRotator(cfg.DataDir, 10<<20)
	if err != nil {
		log.Fatalf("syncd: %v", err) // ok: nothing deferred yet
	}
	defer rot.Close()
	log.SetOutput(rot)

	svc := service.New(&memBackend{m: make(map[string]string)}, &localLeaser{slots: make(map[string]chan struct{})}, []int{0, 1, 2, 3})
	srv := &http.Server{Addr: cfg.Listen, Handler: svc.Handler()}
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed { // HAZ signal-skips-defer
		log.Printf("syncd: %v", err)
	}
}
