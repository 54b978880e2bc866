package hub

import (
	"context"
	"errors"
	"io"
	"log"
	"os"
	"time"

	"example.com/edgehub/internal/device"
	"example.com/edgehub/internal/obs"
	"example.com/edgehub/internal/tsbuf"
	"example.com/edgehub/internal/uplink"
	"example.com/edgehub/internal/watchdog"
)

// Start launches the hub's goroutines; they stop when ctx ends.
func (h *Hub) Start(ctx context.Context) {
	defer obs.Trace("hub.Start")()
	h.startReaders(ctx)
	h.run(ctx, "pump", h.pump)
	h.run(ctx, "flush", h.flushLoop)
	h.run(ctx, "forward", h.forward)
	h.run(ctx, "uplink", func(ctx context.Context) {
		if err := h.up.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Printf("hub: uplink: %v", err)
		}
	})
	h.run(ctx, "dispatch", func(ctx context.Context) {
		for {
			select {
			case <-ctx.Done():
				return
			case res := <-h.disp.Results():
				h.stats.Record("command", resultErr(res.OK, res.Err))
			}
		}
	})
}

// run starts fn in a goroutine tracked by the hub's WaitGroup; a panic in fn
// is logged instead of killing the hub.
func (h *Hub) run(ctx context.Context, name string, fn func(context.Context)) {
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		defer obs.LogPanic(name)
		fn(ctx)
	}()
}

func resultErr(ok bool, msg string) error {
	if ok {
		return nil
	}
	return errors.New(msg)
}

// startReaders starts a supervised reader for every device.
func (h *Hub) startReaders(ctx context.Context) {
	for _, d := range h.reg.List() {
		h.superviseReader(ctx, d)
		h.wd.Watch(h.readerTarget(ctx, d))
	}
	h.run(ctx, "watchdog", func(ctx context.Context) {
		h.wd.Run(ctx, h.cfg.StaleAfter.Duration/4)
	})
}

// superviseReader (re)starts the reader of d, cancelling a previous one.
func (h *Hub) superviseReader(ctx context.Context, d *device.Device) {
	h.mu.Lock()
	if cancel, ok := h.readers[d.ID]; ok {
		cancel()
	}
	rctx, cancel := context.WithCancel(ctx)
	h.readers[d.ID] = cancel
	h.mu.Unlock()

	r := device.NewReader(d, h.samples)
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		defer obs.LogPanic("reader " + d.ID)
		if err := r.Run(rctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Printf("hub: reader %s: %v", d.ID, err)
		}
	}()
}

// readerTarget describes d's reader to the watchdog.
func (h *Hub) readerTarget(ctx context.Context, d *device.Device) *watchdog.Target {
	return &watchdog.Target{
		Name:     d.ID,
		LastBeat: d.LastSeen,
		Restart: func() error {
			h.superviseReader(ctx, d)
			return nil
		},
	}
}

// pump moves samples from the readers into the buffer.
func (h *Hub) pump(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-h.samples:
			p := tsbuf.Point{Series: s.Device + "." + s.Metric, Value: s.Value, At: s.At}
			if h.buf.Add(p) {
				h.flushOnce()
			}
		}
	}
}

// flushLoop flushes the buffer periodically and once more at shutdown.
func (h *Hub) flushLoop(ctx context.Context) {
	tick := time.NewTicker(h.cfg.FlushEvery.Duration)
	defer tick.Stop()
	defer h.flushOnce()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			h.flushOnce()
		}
	}
}

// flushOnce writes the buffer to a segment and queues it for the uplink.
func (h *Hub) flushOnce() {
	path, err := h.buf.Flush()
	if err != nil {
		h.stats.Add("flush.err", 1)
		log.Printf("hub: flush: %v", err)
		return
	}
	if path == "" {
		return
	}
	select {
	case h.segments <- path:
	default:
		h.stats.Add("forward.deferred", 1)
	}
}

// forward publishes flushed segments until ctx ends.
func (h *Hub) forward(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case name := <-h.segments:
			if err := h.sendSegment(ctx, name); err != nil {
				h.stats.Add("forward.err", 1)
				log.Printf("hub: forward %s: %v", name, err)
			}
		}
	}
}

// sendSegment publishes one segment and removes it once sent.
func (h *Hub) sendSegment(ctx context.Context, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	msg := uplink.Message{Topic: "hub/" + h.cfg.HubID + "/segments", Payload: data}
	if err := h.up.Publish(ctx, msg); err != nil {
		return err
	}
	return os.Remove(name)
}

// Wait blocks until every goroutine started by Start has returned.
func (h *Hub) Wait() { h.wg.Wait() }

// Close flushes what is left and closes the uplink and the audit log.
func (h *Hub) Close() error {
	var errs []error
	if _, err := h.buf.Flush(); err != nil {
		errs = append(errs, err)
	}
	if err := h.up.Close(); err != nil {
		errs = append(errs, err)
	}
	if err := h.audit.Close(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
