package smarthttp

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Stats holds lock-free counters of the smart HTTP handler.
type Stats struct {
	inflight atomic.Int64
	ops      sync.Map // op name -> *opStats
}

type opStats struct {
	count atomic.Int64
	nanos atomic.Int64
}

// Observe records one operation of duration d.
func (s *Stats) Observe(op string, d time.Duration) {
	v, _ := s.ops.LoadOrStore(op, new(opStats))
	st := v.(*opStats)
	st.count.Add(1)
	st.nanos.Add(int64(d))
}

// ObserveSpan records one operation that ran from start to end.
func (s *Stats) ObserveSpan(op string, start, end time.Time) {
	s.Observe(op, end.Sub(start))
}

// InFlight returns the number of view requests being served.
func (s *Stats) InFlight() int64 { return s.inflight.Load() }

// WriteText writes the counters in the Prometheus text format.
func (s *Stats) WriteText(w io.Writer) error {
	var names []string
	s.ops.Range(func(k, _ any) bool {
		names = append(names, k.(string))
		return true
	})
	sort.Strings(names)
	if _, err := fmt.Fprintf(w, "githost_http_inflight %d\n", s.InFlight()); err != nil {
		return err
	}
	for _, n := range names {
		v, _ := s.ops.Load(n)
		st := v.(*opStats)
		secs := time.Duration(st.nanos.Load()).Seconds()
		if _, err := fmt.Fprintf(w, "githost_op_total{op=%q} %d\ngithost_op_seconds_total{op=%q} %.3f\n", n, st.count.Load(), n, secs); err != nil {
			return err
		}
	}
	return nil
}
