package api

import (
	"context"
	"net/http"
	"time"

	"example.com/fah20/internal/web"
)

// reindex takes the backend's reindex lock for the duration of the request.
// The unlock is sent from a deferred function with its own short deadline,
// so even a cancelled request releases the lock without hanging.
func (a *API) reindex(w http.ResponseWriter, r *http.Request) {
	if a.pool == nil {
		web.Error(w, http.StatusServiceUnavailable, "no backend configured")
		return
	}
	c, err := a.pool.Get(r.Context())
	if err != nil {
		web.Error(w, http.StatusServiceUnavailable, "backend unavailable")
		return
	}
	defer a.pool.Put(c)
	if _, err := c.Exec(r.Context(), "LOCK reindex"); err != nil {
		web.Error(w, http.StatusConflict, "reindex already running")
		return
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if _, err := c.Exec(ctx, "UNLOCK reindex"); err != nil {
			a.logger.Printf("reindex: releasing lock: %v", err)
			c.MarkBroken()
		}
	}()
	reply, err := c.Exec(r.Context(), "REINDEX")
	if err != nil {
		web.Error(w, http.StatusBadGateway, err.Error())
		return
	}
	_ = web.WriteJSON(w, http.StatusAccepted, map[string]string{"backend": reply})
}
