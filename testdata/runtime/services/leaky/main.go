// leaky answers each request with the result of a slow lookup, or 504 when the lookup takes
// longer than the request budget. The lookup runs in a goroutine that sends its result on an
// unbuffered channel: when the handler has already given up, nobody receives and the goroutine
// stays blocked on the send forever, one per timed-out request.
package main

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"deferguard.test/services/internal/serve"
)

type result struct {
	body string
}

func lookup(q string) result {
	time.Sleep(200 * time.Millisecond) // slower than the budget below
	return result{body: strings.ToUpper(q)}
}

func handle(w http.ResponseWriter, r *http.Request) {
	ch := make(chan result)
	go func() {
		ch <- lookup(r.URL.Query().Get("q"))
	}()
	select {
	case v := <-ch:
		fmt.Fprintln(w, v.body)
	case <-time.After(20 * time.Millisecond):
		http.Error(w, "lookup timed out", http.StatusGatewayTimeout)
		return
	}
}

func main() {
	serve.Run("leaky", handle)
}
