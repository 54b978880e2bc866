package udpsrv

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"sync"
	"time"
)

// Sample is one telemetry reading sent by a client.
type Sample struct {
	Player PlayerID
	Metric string
	Value  float64
	At     time.Time
}

// Sink stores telemetry batches.
type Sink interface {
	Write(batch []Sample) error
}

// Summary aggregates one metric.
type Summary struct {
	Count    int
	Sum      float64
	Min, Max float64
}

func (s *Summary) add(v float64) {
	if s.Count == 0 || v < s.Min {
		s.Min = v
	}
	if s.Count == 0 || v > s.Max {
		s.Max = v
	}
	s.Count++
	s.Sum += v
}

func (s *Summary) merge(o Summary) {
	if o.Count == 0 {
		return
	}
	if s.Count == 0 || o.Min < s.Min {
		s.Min = o.Min
	}
	if s.Count == 0 || o.Max > s.Max {
		s.Max = o.Max
	}
	s.Count += o.Count
	s.Sum += o.Sum
}

var errShortSample = errors.New("udpsrv: short telemetry record")

// ParseSamples decodes a telemetry payload: repeated records of
// [1-byte name length][name][8-byte float64 bits].
func ParseSamples(player PlayerID, at time.Time, payload []byte) ([]Sample, error) {
	var out []Sample
	for len(payload) > 0 {
		n := int(payload[0])
		if len(payload) < 1+n+8 {
			return out, errShortSample
		}
		name := string(payload[1 : 1+n])
		bits := binary.BigEndian.Uint64(payload[1+n : 1+n+8])
		out = append(out, Sample{Player: player, Metric: name, Value: math.Float64frombits(bits), At: at})
		payload = payload[1+n+8:]
	}
	return out, nil
}

// DrainTelemetry writes every batch to sink using several workers and
// returns when batches is closed and drained.
func (s *Server) DrainTelemetry(sink Sink, batches <-chan []Sample, workers int) {
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			for b := range batches {
				if err := sink.Write(b); err != nil {
					s.logf("udpsrv: telemetry sink: %v", err)
					return
				}
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// Aggregate summarises batches per metric until the channel closes or ctx
// ends. Each worker keeps its own map and merges it once at the end.
func Aggregate(ctx context.Context, batches <-chan []Sample, workers int) map[string]Summary {
	var (
		mu  sync.Mutex
		out = make(map[string]Summary)
		wg  sync.WaitGroup
	)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := summarise(ctx, batches)
			mu.Lock()
			defer mu.Unlock()
			for k, v := range local {
				sum := out[k]
				sum.merge(*v)
				out[k] = sum
			}
		}()
	}
	wg.Wait()
	return out
}

func summarise(ctx context.Context, batches <-chan []Sample) map[string]*Summary {
	local := make(map[string]*Summary)
	for {
		select {
		case b, ok := <-batches:
			if !ok {
				return local
			}
			for _, smp := range b {
				sum := local[smp.Metric]
				if sum == nil {
					sum = new(Summary)
					local[smp.Metric] = sum
				}
				sum.add(smp.Value)
			}
		case <-ctx.Done():
			return local
		}
	}
}
