// Command forever runs the heartbeat emitter; it has no cleanup to run.
package main

import (
	"log"
	"time"
)

func main() {
	go func() {
		for t := range time.Tick(30 * time.Second) {
			log.Printf("heartbeat %s", t.Format(time.RFC3339))
		}
	}()
	select {} // ok: no deferred cleanup in main
}
