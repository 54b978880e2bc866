package fixture

import (
	"net/http"
	"sync"
)

type refresher struct {
	inflight sync.WaitGroup
}

func (h *refresher) refresh(id string) {}

// The wait is deferred through a method value held in a variable: the handler still waits.
func (h *refresher) handleRefresh(w http.ResponseWriter, r *http.Request) {
	wait := h.inflight.Wait
	defer wait() // want `deferred wait\(\) blocks until every goroutine of the group has called Done, so refresher\.handleRefresh \(a net/http handler\) cannot finish the request`
	for _, id := range r.URL.Query()["id"] {
		h.inflight.Add(1)
		go func() {
			defer h.inflight.Done()
			h.refresh(id)
		}()
	}
	w.WriteHeader(http.StatusAccepted)
}

// A method value of something that does not block.
func (h *refresher) handleNoop(w http.ResponseWriter, r *http.Request) {
	done := h.inflight.Done
	h.inflight.Add(1)
	defer done()
	w.WriteHeader(http.StatusNoContent)
}
