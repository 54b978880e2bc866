// Command healthz is a stateless health endpoint for the load balancer. It
// holds no resources, so it has nothing to clean up on termination.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", ":8086", "listen address")
	flag.Parse()

	started := time.Now()
	host, _ := os.Hostname()
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "ok %s up %s\n", host, time.Since(started).Round(time.Second))
	})
	log.Fatal(http.ListenAndServe(*addr, nil)) // ok: main registers no deferred cleanup
}
