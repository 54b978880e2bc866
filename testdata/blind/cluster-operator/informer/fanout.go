//go:build go1.21

// This file still carries the go1.21 constraint it had before the module
// moved to Go 1.22, so its loops use the old per-loop variable semantics.

package informer

import (
	"sync"

	"example.com/operator/api"
)

// NotifyAll sends a synthetic update for every cached object to the
// handlers, one goroutine per object, and waits for all of them. It returns
// the number of objects notified.
func (i *Informer) NotifyAll() int {
	var wg sync.WaitGroup
	dispatched := 0
	for _, obj := range i.cache.List() {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			i.each(func(h Handler) { h.OnUpdate(obj, obj) })
		}()
		dispatched++
	}
	wg.Wait()
	return dispatched
}

// NotifyKeys is NotifyAll restricted to keys; missing keys are skipped.
func (i *Informer) NotifyKeys(keys []string) int {
	var wg sync.WaitGroup
	dispatched := 0
	for _, key := range keys {
		obj, ok := i.cache.Get(key)
		if !ok {
			continue
		}
		wg.Add(1)
		go func(obj *api.Cluster) {
			defer wg.Done()
			i.each(func(h Handler) { h.OnUpdate(obj, obj) })
		}(obj)
		dispatched++
	}
	wg.Wait()
	return dispatched
}

// NotifyLabel notifies the handlers about every object labelled k=v, with
// at most limit notifications in flight.
func (i *Informer) NotifyLabel(k, v string, limit int) int {
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	n := 0
	for _, obj := range i.cache.List() {
		if obj.Meta.Labels[k] != v {
			continue
		}
		obj := obj
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			i.each(func(h Handler) { h.OnUpdate(obj, obj) })
			<-sem
		}()
		n++
	}
	wg.Wait()
	return n
}

// NotifyShards splits the cache into n shards and notifies the handlers
// about each shard from its own goroutine.
func (i *Informer) NotifyShards(n int) {
	objs := i.cache.List()
	var wg sync.WaitGroup
	started := 0
	for s := 0; s < n; s++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			for j := s; j < len(objs); j += n {
				obj := objs[j]
				i.each(func(h Handler) { h.OnUpdate(obj, obj) })
			}
		}()
		started++
	}
	wg.Wait()
	i.logger.Printf("informer: notified %d objects on %d shards", len(objs), started)
}

// AuditHandlers calls every handler once per cached object and logs which
// objects a handler panicked on. Each object is handled in its own
// function call so that the deferred logger runs before the next object.
func (i *Informer) AuditHandlers() int {
	failed := 0
	for _, obj := range i.cache.List() {
		func() {
			defer func() {
				if r := recover(); r != nil {
					failed++
					i.logger.Printf("informer: handler panicked on %s: %v", obj.Meta.Key(), r)
				}
			}()
			i.mu.Lock()
			hs := append([]Handler(nil), i.handlers...)
			i.mu.Unlock()
			for _, h := range hs {
				h.OnUpdate(obj, obj)
			}
		}()
	}
	return failed
}
