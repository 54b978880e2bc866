// clean does the same lookup as leaky, but the result channel has room for the answer, so the
// lookup goroutine finishes whether or not the handler is still waiting.
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
	time.Sleep(200 * time.Millisecond)
	return result{body: strings.Repeat(strings.ToUpper(q), 1024)}
}

func handle(w http.ResponseWriter, r *http.Request) {
	ch := make(chan result, 1)
	go func() {
		ch <- lookup(r.URL.Query().Get("q"))
	}()
	select {
	case v := <-ch:
		fmt.Fprintln(w, len(v.body))
	case <-time.After(20 * time.Millisecond):
		http.Error(w, "lookup timed out", http.StatusGatewayTimeout)
		return
	}
}

func main() {
	serve.Run("clean", handle)
}
