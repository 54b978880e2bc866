// Command supervisord runs a fixed set of background workers under a supervisor.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"math/rand"
	"os"
	"strconv"
	"time"

	"example.com/conclib/supervisor"
)

func ticker(name string, every time.Duration) supervisor.Spec {
	return supervisor.Spec{
		Name:    name,
		Restart: supervisor.Permanent,
		Backoff: time.Second,
		Run: func(ctx context.Context) error {
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					if rand.Intn(20) == 0 {
						return errors.New("random failure")
					}
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		},
	}
}

func writePidfile(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

func main() {
	pidfile := flag.String("pidfile", "/run/supervisord.pid", "pid file")
	flag.Parse()

	if err := writePidfile(*pidfile); err != nil {
		log.Fatalf("supervisord: %v", err) // ok: nothing deferred yet
	}
	defer os.Remove(*pidfile)

	sup := supervisor.New(log.Default(), ticker("heartbeat", time.Second), ticker("compactor", 5*time.Second))
	sup.OnEvent(func(ev supervisor.Event) {
		log.Printf("supervisord: %s exited (%v), restarts=%d", ev.Worker, ev.Err, ev.Restarts)
	})
	sup.Start(context.Background())
	defer sup.Stop()

	select {} // HAZ signal-skips-defer
}
