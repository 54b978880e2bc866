package dnsmx

import (
	"net"
	"sort"
	"sync"
	"time"
)

// dialOK reports whether host accepts a TCP connection on port 25.
func dialOK(host string, timeout time.Duration) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort(host, "25"), timeout)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// ProbeAll dials every exchanger and returns, in answer order, those that
// accepted a connection before the overall deadline.
func ProbeAll(hosts []string, perHost, overall time.Duration) []string {
	up := make(chan string, len(hosts))
	defer close(up) // HAZ defer-close-chan-with-sender
	for _, h := range hosts {
		go func(h string) {
			if dialOK(h, perHost) {
				up <- h
			}
		}(h)
	}
	deadline := time.NewTimer(overall)
	defer deadline.Stop()
	var ok []string
	for range hosts {
		select {
		case h := <-up:
			ok = append(ok, h)
		case <-deadline.C:
			return ok
		}
	}
	return ok
}

// ProbeSorted dials every exchanger and returns those that answered,
// sorted. It waits for every dial to finish.
func ProbeSorted(hosts []string, timeout time.Duration) []string {
	up := make(chan string)
	var wg sync.WaitGroup
	for _, h := range hosts {
		wg.Add(1)
		go func(h string) {
			defer wg.Done()
			if dialOK(h, timeout) {
				up <- h
			}
		}(h)
	}
	go func() {
		wg.Wait()
		close(up)
	}()
	var ok []string
	for h := range up {
		ok = append(ok, h)
	}
	sort.Strings(ok)
	return ok
}
