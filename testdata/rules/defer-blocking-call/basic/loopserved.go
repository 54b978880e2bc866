// A deferred send on an unbuffered channel that a loop of the package serves: in a request
// handler the response waits until the loop is free, and for good once it has returned.
// Outside handlers it is a request to a server goroutine and is not reported.
package fixture

import (
	"context"
	"log"
	"net/http"
)

type reloadAPI struct {
	reloads chan string
	logger  *log.Logger
}

func newReloadAPI(logger *log.Logger) *reloadAPI {
	return &reloadAPI{reloads: make(chan string), logger: logger}
}

func (a *reloadAPI) reloadLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case from := <-a.reloads:
			a.logger.Printf("reload requested by %s", from)
		}
	}
}

func (a *reloadAPI) requestReload(from string) {
	a.reloads <- from
}

func (a *reloadAPI) handleReload(w http.ResponseWriter, r *http.Request) {
	defer a.requestReload(r.RemoteAddr) // want `a\.reloads <- from .*blocks until the loop serving the unbuffered channel is free to receive it, and for good once that loop has returned, so reloadAPI\.handleReload \(a net/http handler\) cannot finish the request`
	w.WriteHeader(http.StatusAccepted)
}

// Not a handler: the send is a request to the loop, taken once it is free.
func (a *reloadAPI) reloadOnExit(name string) {
	defer a.requestReload(name)
	a.logger.Printf("working on %s", name)
}
