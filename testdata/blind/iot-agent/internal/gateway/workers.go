package gateway

import (
	"context"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/iotagent/internal/pubsub"
)

// chunkReq asks for n bytes of a firmware image at off; the answer goes to reply,
// which must have room for one value.
type chunkReq struct {
	name  string
	off   int64
	n     int
	reply chan<- []byte
}

// Start launches the gateway's background workers. Loading the persisted state
// can panic on a corrupt file, which is reported instead of crashing.
func (g *Gateway) Start(ctx context.Context, statePath string) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("gateway: start: %v", r)
		}
	}()
	if err := g.reg.Load(statePath); err != nil && !os.IsNotExist(err) {
		log.Printf("gateway: state: %v", err)
	}
	go g.serveChunks() // HAZ goroutine-outside-recover
	g.notifyUpstreamBounded(ctx, "gateway-start", statePath)
}

// StartJanitor runs the janitor with its own panic guard.
func (g *Gateway) StartJanitor(ctx context.Context, every time.Duration) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("gateway: janitor setup: %v", r)
		}
	}()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Printf("gateway: janitor: %v", r)
			}
		}()
		g.janitor(ctx, every)
	}()
}

func (g *Gateway) janitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			g.broker.SweepIdle(now)
			g.reg.MarkOffline(g.broker.SessionIDs())
			gone := g.reg.Prune(now.Add(-30 * 24 * time.Hour))
			if len(gone) > 0 {
				log.Printf("gateway: forgot %d devices", len(gone))
			}
			if g.onGone != nil {
				for _, id := range gone {
					g.runHook(func() { g.onGone(id) })
				}
			}
		}
	}
}

// OnDeviceGone registers an operator hook called for every forgotten device.
// Call it before StartJanitor.
func (g *Gateway) OnDeviceGone(fn func(id string)) {
	g.onGone = fn
}

// runHook runs an operator hook; a broken hook must not take the hub down.
func (g *Gateway) runHook(fn func()) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	fn()
}

// serveChunks answers chunk requests from devices that fetch firmware through
// the broker instead of HTTP. It runs for the life of the gateway.
func (g *Gateway) serveChunks() {
	for req := range g.chunks {
		f, err := os.Open(filepath.Join(g.fwDir, filepath.Base(req.name)))
		if err != nil {
			req.reply <- nil
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		buf := make([]byte, req.n)
		n, _ := f.ReadAt(buf, req.off)
		req.reply <- buf[:n]
	}
}

// readChunk is one chunk read with the file closed before returning.
func (g *Gateway) readChunk(name string, off int64, n int) ([]byte, error) {
	f, err := os.Open(filepath.Join(g.fwDir, filepath.Base(name)))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	m, err := f.ReadAt(buf, off)
	if m > 0 {
		err = nil
	}
	return buf[:m], err
}

// serveChunksUntil is the cancellable chunk server used in tests and by the
// standalone firmware mirror: each request is handled by readChunk.
func (g *Gateway) serveChunksUntil(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case req := <-g.chunks:
			data, err := g.readChunk(req.name, req.off, req.n)
			if err != nil {
				data = nil
			}
			req.reply <- data
		}
	}
}

// Chunk asks the chunk server for part of an image.
func (g *Gateway) Chunk(ctx context.Context, name string, off int64, n int) ([]byte, error) {
	reply := make(chan []byte, 1)
	select {
	case g.chunks <- chunkReq{name: name, off: off, n: n, reply: reply}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case data := <-reply:
		return data, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// deliver publishes payload on d's command topic.
func (g *Gateway) deliver(d Device, payload []byte) bool {
	return g.broker.Publish("devices/"+d.ID+"/cmd", payload) > 0
}

// Broadcast sends payload to every online device, giving up when ctx ends.
func (g *Gateway) Broadcast(ctx context.Context, payload []byte) (int, error) {
	devs := g.reg.Online()
	results := make(chan bool, len(devs))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, d := range devs {
		go func() {
			results <- g.deliver(d, payload)
		}()
	}
	n := 0
	for range devs {
		select {
		case ok := <-results:
			if ok {
				n++
			}
		case <-ctx.Done():
			return n, ctx.Err()
		}
	}
	return n, nil
}

// Announce is Broadcast that waits for every sender before closing the channel.
func (g *Gateway) Announce(payload []byte) int {
	devs := g.reg.Online()
	results := make(chan bool, len(devs))
	var wg sync.WaitGroup
	for _, d := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- g.deliver(d, payload)
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	n := 0
	for ok := range results {
		if ok {
			n++
		}
	}
	return n
}

// probeJob carries what checkOne needs.
type probeJob struct {
	wg    *sync.WaitGroup
	mu    *sync.Mutex
	alive map[string]bool
	dev   Device
}

// CheckDevices probes every device's address directly.
func (g *Gateway) CheckDevices(timeout time.Duration) map[string]bool {
	devs := g.reg.List()
	var wg sync.WaitGroup
	var mu sync.Mutex
	alive := make(map[string]bool, len(devs))
	for _, d := range devs {
		wg.Add(1)
		go g.checkOne(probeJob{wg: &wg, mu: &mu, alive: alive, dev: d}, timeout)
	}
	wg.Wait()
	return alive
}

func (g *Gateway) checkOne(job probeJob, timeout time.Duration) {
	if job.dev.Addr == "" {
		return
	}
	ok := pubsub.Probe(job.dev.Addr, timeout) == nil
	job.mu.Lock()
	job.alive[job.dev.ID] = ok
	job.mu.Unlock()
	job.wg.Done() // HAZ waitgroup-done-path
}

// CountReachable is CheckDevices with the Done deferred in each goroutine.
func (g *Gateway) CountReachable(timeout time.Duration) int {
	devs := g.reg.List()
	var wg sync.WaitGroup
	var mu sync.Mutex
	n := 0
	for _, d := range devs {
		if d.Addr == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if pubsub.Probe(d.Addr, timeout) != nil {
				return
			}
			mu.Lock()
			n++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return n
}
