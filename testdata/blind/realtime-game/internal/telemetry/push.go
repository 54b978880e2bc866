package telemetry

import (
	"context"
	"log"
	"net"
	"time"
)

// PushLoop ships the counters to a statsd collector over UDP every interval
// for the life of the process.
func PushLoop(addr string, c *Counter, every time.Duration) {
	ticker := time.NewTicker(every)
	for {
		<-ticker.C
		conn, err := net.DialTimeout("udp", addr, time.Second)
		if err != nil {
			log.Printf("telemetry: dial %s: %v", addr, err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if _, err := conn.Write([]byte(c.Format())); err != nil {
			log.Printf("telemetry: push to %s: %v", addr, err)
		}
	}
}

// pushOnce sends one payload over TCP and reports write or close failures.
func pushOnce(addr string, payload []byte) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := conn.SetWriteDeadline(time.Now().Add(2 * time.Second)); err != nil {
		return err
	}
	_, err = conn.Write(payload)
	return err
}

// PushNow sends the current counters once.
func PushNow(addr string, c *Counter) error {
	return pushOnce(addr, []byte(c.Format()))
}

// PushEvery pushes the counters every interval until ctx is cancelled.
func PushEvery(ctx context.Context, addr string, c *Counter, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if err := PushNow(addr, c); err != nil {
				log.Printf("telemetry: push to %s: %v", addr, err)
			}
		}
	}
}
