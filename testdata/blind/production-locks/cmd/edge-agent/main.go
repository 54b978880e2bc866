// Command edge-agent samples local sensors and buffers readings until the
// uplink collects them.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"
)

type reading struct {
	Sensor string    `json:"sensor"`
	Value  float64   `json:"value"`
	At     time.Time `json:"at"`
}

type ring struct {
	buf  []reading
	next int
	full bool
}

func newRing(n int) *ring { return &ring{buf: make([]reading, n)} }

func (r *ring) add(rd reading) {
	r.buf[r.next] = rd
	r.next = (r.next + 1) % len(r.buf)
	if r.next == 0 {
		r.full = true
	}
}

// dump writes the buffered readings so they survive a restart.
func (r *ring) dump(w io.Writer) {
	enc := json.NewEncoder(w)
	n := r.next
	if r.full {
		n = len(r.buf)
	}
	for i := range n {
		_ = enc.Encode(r.buf[i])
	}
}

func sample(sensor string) reading {
	return reading{Sensor: sensor, Value: 20 + rand.Float64()*5, At: time.Now()}
}

func main() {
	interval := flag.Duration("interval", 10*time.Second, "sampling interval")
	size := flag.Int("buffer", 4096, "readings kept in memory")
	flag.Parse()

	buf := newRing(*size)
	defer buf.dump(os.Stdout)

	ticker := time.NewTicker(*interval)
	defer ticker.Stop()
	fmt.Fprintln(os.Stderr, "edge-agent: sampling every", *interval)
	for { // HAZ signal-skips-defer
		<-ticker.C
		for _, s := range []string{"temp0", "temp1", "humidity"} {
			buf.add(sample(s))
		}
	}
}
