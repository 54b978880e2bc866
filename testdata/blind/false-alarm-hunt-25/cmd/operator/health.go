package main

import (
	"fmt"
	"net/http"
	"time"

	"example.com/fah25/internal/controller"
	"example.com/fah25/internal/leaderelection"
	"example.com/fah25/internal/metrics"
)

func newMux(reg *metrics.Registry, le *leaderelection.LeaderElector, ctrl *controller.Controller) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/metrics", reg)
	mux.HandleFunc("/healthz", healthz(le))
	mux.HandleFunc("/readyz", readyz(ctrl))
	return mux
}

// healthz fails when this replica believes it leads but stopped renewing.
func healthz(le *leaderelection.LeaderElector) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := le.Check(20 * time.Second); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "ok (leader: %q)\n", le.GetLeader())
	}
}

// readyz reports the queue depth; a deep queue is still ready.
func readyz(ctrl *controller.Controller) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "ready, %d keys queued\n", ctrl.QueueLen())
	}
}
