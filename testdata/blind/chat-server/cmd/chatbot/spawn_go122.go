//go:build go1.22

package main

import (
	"context"
	"sync"
	"time"
)

// startBots launches cfg.bots soak bots, staggered by cfg.rampUp, and returns
// how many were started.
func startBots(ctx context.Context, cfg config, rec *Recorder) int {
	var i int
	for i = 0; i < cfg.bots; i++ {
		if ctx.Err() != nil {
			break
		}
		go func() { // HAZ loop-var-capture
			newBot(i, cfg, rec).loop(ctx)
		}()
		time.Sleep(cfg.rampUp)
	}
	return i
}

// pingAll probes every address concurrently.
func pingAll(addrs []string) map[string]error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	res := make(map[string]error, len(addrs))
	for _, addr := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			err := probeCtx(ctx, addr)
			mu.Lock()
			res[addr] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	return res
}
