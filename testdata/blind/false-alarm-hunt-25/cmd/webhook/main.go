// Command webhook serves the Widget admission webhook.
package main

import (
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/fah25/internal/record"
	"example.com/fah25/internal/webhook"
)

func logAudit(entries <-chan webhook.AuditEntry) {
	for e := range entries {
		log.Printf("audit uid=%s object=%s allowed=%t reason=%q latency=%s",
			e.UID, e.Object, e.Allowed, e.Reason, e.Latency)
	}
}

func main() {
	addr := flag.String("addr", ":8443", "listen address")
	maxReplicas := flag.Int("max-replicas", 50, "largest replica count accepted")
	policyPath := flag.String("policy", "", "reloadable policy file")
	flag.Parse()

	rec := record.NewRecorder("widget-webhook", 256, record.NewLogSink(os.Stderr))
	defer rec.Shutdown()

	h := webhook.NewHandler(128, rec,
		webhook.ValidateName,
		webhook.ValidateReplicas(*maxReplicas),
		webhook.ValidateImage("registry.example.com/"),
	)
	go logAudit(h.Audit())
	if *policyPath != "" {
		if p, err := webhook.LoadPolicy(*policyPath); err == nil {
			h.SetPolicy(p)
		}
		go webhook.WatchPolicy(*policyPath, 30*time.Second, h.SetPolicy)
	}

	mux := http.NewServeMux()
	mux.Handle("/validate", h)
	mux.HandleFunc("/mutate", h.ServeMutate)
	mux.HandleFunc("/dry-run", h.ServeDryRun)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })

	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("webhook: listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("webhook: %v", err)
	}
}
