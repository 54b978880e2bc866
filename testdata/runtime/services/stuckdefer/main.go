// stuckdefer records an audit entry for every request in a goroutine and waits for it in a
// deferred wg.Wait. The audit store is slow: it accepts one entry every ten seconds. Each
// handler is stuck in its deferred call at the closing brace until its entry is taken, so
// under load the handlers pile up.
package main

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"deferguard.test/services/internal/serve"
)

var audit = make(chan string)

func auditStore() {
	for entry := range audit {
		_ = entry
		time.Sleep(10 * time.Second)
	}
}

func handle(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		audit <- r.URL.Path
	}()
	defer wg.Wait()
	fmt.Fprintln(w, "ok")
}

func main() {
	go auditStore()
	serve.Run("stuckdefer", handle)
}
