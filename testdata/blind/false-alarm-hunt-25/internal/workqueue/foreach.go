package workqueue

import (
	"log"
	"sync"
)

// ForEachKey runs fn for every key on its own goroutine; a panicking fn is logged, not fatal.
func ForEachKey(keys []string, fn func(key string)) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					log.Printf("workqueue: %s: panic: %v", k, r)
				}
			}()
			fn(k)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// ForEachKeyLimited is ForEachKey with at most limit goroutines running at once.
func ForEachKeyLimited(keys []string, limit int, fn func(key string)) {
	if limit <= 0 {
		limit = 1
	}
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer func() {
				if r := recover(); r != nil {
					log.Printf("workqueue: %s: panic: %v", k, r)
				}
			}()
			fn(k)
		}()
	}
	wg.Wait()
}
