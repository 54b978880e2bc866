//go:build go1.21

package pipeline

import (
	"net"
	"slices"
	"sync"
	"time"
)

// Target is an endpoint checked by Sweep.
type Target struct {
	Name string
	Addr string
}

// Sweep dials every target that has an address and returns the names of the
// unreachable ones together with the number of targets it dialled.
func Sweep(targets []Target, timeout time.Duration) (down []string, dialled int) {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for _, t := range targets {
		if t.Addr == "" {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			conn, err := net.DialTimeout("tcp", t.Addr, timeout)
			if err != nil {
				mu.Lock()
				down = append(down, t.Name)
				mu.Unlock()
				return
			}
			_ = conn.Close()
		}()
		dialled++
	}
	wg.Wait()
	slices.Sort(down)
	return down, dialled
}

// SweepOne dials a single target.
func SweepOne(t Target, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", t.Addr, timeout)
	if err != nil {
		return err
	}
	return conn.Close()
}
