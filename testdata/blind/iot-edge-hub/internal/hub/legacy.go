package hub

import (
	"context"
	"log"
	"sort"
	"sync"

	"example.com/edgehub/internal/obs"
)

// Serve is the single-loop mode used on the smallest gateways: it pumps
// samples in the background and flushes in the foreground until ctx ends,
// logging a panic of the flush loop.
func (h *Hub) Serve(ctx context.Context) {
	defer obs.LogPanic("hub")
	go h.pump(ctx) // HAZ goroutine-outside-recover
	h.flushLoop(ctx)
}

// ProbeDevices opens every configured device path concurrently and returns
// the IDs of those that cannot be opened.
func (h *Hub) ProbeDevices(ctx context.Context) []string {
	var (
		mu  sync.Mutex
		bad []string
		wg  sync.WaitGroup
	)
	for _, dc := range h.cfg.Devices {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			rc, err := sourceFor(dc.Path).Open()
			if err != nil {
				mu.Lock()
				bad = append(bad, dc.ID)
				mu.Unlock()
				return
			}
			rc.Close()
		}()
		log.Printf("hub: probing %s", dc.ID)
	}
	wg.Wait()
	sort.Strings(bad)
	return bad
}

// ProbeDevicesEach opens every configured device path concurrently and
// returns the IDs of those that cannot be opened, sorted.
func (h *Hub) ProbeDevicesEach(ctx context.Context) []string {
	var (
		mu  sync.Mutex
		bad []string
		wg  sync.WaitGroup
	)
	for _, dc := range h.cfg.Devices {
		wg.Add(1)
		go func(dc DeviceConfig) {
			defer wg.Done()
			rc, err := sourceFor(dc.Path).Open()
			if err != nil {
				mu.Lock()
				defer mu.Unlock()
				bad = append(bad, dc.ID)
				return
			}
			rc.Close()
		}(dc)
	}
	wg.Wait()
	sort.Strings(bad)
	return bad
}
