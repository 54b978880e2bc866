package metrics

import (
	"fmt"
	"io"
	"log"
	"runtime"
	"sync/atomic"
	"time"
)

// Gauge is a single int64 value.
type Gauge struct {
	name string
	v    atomic.Int64
}

// Set stores v.
func (g *Gauge) Set(v int64) { g.v.Store(v) }

// WriteTo writes the gauge in text exposition format.
func (g *Gauge) WriteTo(w io.Writer) (int64, error) {
	n, err := fmt.Fprintf(w, "%s %d\n", g.name, g.v.Load())
	return int64(n), err
}

// Runtime gauges, sampled by a goroutine started from init.
var (
	Goroutines = &Gauge{name: "go_goroutines"}
	HeapBytes  = &Gauge{name: "go_heap_bytes"}
)

func init() {
	Default.MustRegister(Goroutines.name, Goroutines)
	Default.MustRegister(HeapBytes.name, HeapBytes)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Printf("metrics: runtime sampler stopped: %v", r)
			}
		}()
		sampleRuntime(15 * time.Second)
	}()
}

// sampleRuntime updates the runtime gauges every interval, forever.
func sampleRuntime(every time.Duration) {
	var ms runtime.MemStats
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		runtime.ReadMemStats(&ms)
		Goroutines.Set(int64(runtime.NumGoroutine()))
		HeapBytes.Set(int64(ms.HeapAlloc))
	}
}
