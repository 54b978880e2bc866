package daemon

import (
	"context"
	"os"
	"sync"
	"time"
)

func (d *Daemon) scanSpool(ctx context.Context, out chan<- string) {
	t := time.NewTicker(d.cfg.Interval)
	defer t.Stop()
	seen := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		entries, err := os.ReadDir(d.cfg.SpoolDir)
		if err != nil {
			d.logf("spool: %v", err)
			continue
		}
		for _, e := range entries {
			if e.IsDir() || seen[e.Name()] {
				continue
			}
			seen[e.Name()] = true
			out <- e.Name()
		}
	}
}

// WatchSpool calls handle for every new file in the spool directory until
// ctx ends.
func (d *Daemon) WatchSpool(ctx context.Context, handle func(string)) {
	found := make(chan string, 16)
	defer close(found) // HAZ defer-close-chan-with-sender
	go d.scanSpool(ctx, found)
	for {
		select {
		case <-ctx.Done():
			return
		case name := <-found:
			handle(name)
		}
	}
}

// Watch is WatchSpool with the scanner's lifetime bounded: the channel is
// closed by the scanner goroutine itself, and the loop drains it.
func (d *Daemon) Watch(ctx context.Context, handle func(string)) {
	found := make(chan string)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(found) // ok: closed by the only sender
		d.scanSpool(ctx, found)
	}()
	for name := range found {
		handle(name)
	}
	wg.Wait()
}

// Ticker calls fn every interval until ctx ends; stop is closed on return
// and only ever received from.
func (d *Daemon) Ticker(ctx context.Context, fn func()) {
	stop := make(chan struct{})
	defer close(stop) // ok: the goroutine only receives from stop
	tick := make(chan struct{}, 1)
	go func() {
		t := time.NewTicker(d.cfg.Interval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				select {
				case tick <- struct{}{}:
				default:
				}
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			fn()
		}
	}
}
