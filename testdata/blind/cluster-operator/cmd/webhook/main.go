// Command webhook is the validating admission webhook for Cluster objects.
// Every decision is appended to an audit log.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"example.com/operator/api"
)

func main() {
	addr := flag.String("addr", ":8443", "listen address")
	auditPath := flag.String("audit", "webhook-audit.log", "audit log file")
	pidFile := flag.String("pidfile", "/run/cluster-webhook.pid", "pid file, removed on exit")
	flag.Parse()

	audit, err := openAudit(*auditPath)
	if err != nil {
		log.Fatalf("webhook: %v", err)
	}
	if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("webhook: %v", err)
	}
	defer os.Remove(*pidFile)

	mux := http.NewServeMux()
	mux.Handle("POST /validate", &validator{audit: audit})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Addr: *addr, Handler: guard(mux), ReadHeaderTimeout: 5 * time.Second}
	log.Printf("webhook: listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("webhook: %v", err)
	}
	if err := audit.Close(); err != nil {
		log.Printf("webhook: closing audit log: %v", err)
	}
}

// guard turns a handler panic into a 500 and a log line instead of a
// dropped connection.
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			report := func() {
				if rec := recover(); rec != nil { // HAZ recover-ineffective
					log.Printf("webhook: panic serving %s: %v", r.URL.Path, rec)
					http.Error(w, "internal error", http.StatusInternalServerError)
				}
			}
			report()
		}()
		next.ServeHTTP(w, r)
	})
}

// auditLog is an append-only, buffered decision log.
type auditLog struct {
	mu sync.Mutex
	f  *os.File
	bw *bufio.Writer
}

func openAudit(path string) (*auditLog, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	return &auditLog{f: f, bw: bufio.NewWriter(f)}, nil
}

// Record appends one decision.
func (a *auditLog) Record(key string, allowed bool, reasons []string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	line, err := json.Marshal(map[string]any{
		"time":    time.Now().UTC().Format(time.RFC3339Nano),
		"key":     key,
		"allowed": allowed,
		"reasons": reasons,
	})
	if err != nil {
		return err
	}
	if _, err := a.bw.Write(append(line, '\n')); err != nil {
		return err
	}
	return nil
}

// Close flushes buffered records and closes the file.
func (a *auditLog) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return errors.Join(a.bw.Flush(), a.f.Close())
}

type review struct {
	Object *api.Cluster `json:"object"`
}

type verdict struct {
	Allowed bool     `json:"allowed"`
	Reasons []string `json:"reasons,omitempty"`
}

type validator struct {
	audit *auditLog
}

func (v *validator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer log.Printf("webhook: %s %s took %v", r.Method, r.URL.Path, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	var rv review
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&rv); err != nil || rv.Object == nil {
		http.Error(w, "malformed review", http.StatusBadRequest)
		return
	}
	reasons := validateSpec(rv.Object.Spec)
	res := verdict{Allowed: len(reasons) == 0, Reasons: reasons}
	if err := v.audit.Record(rv.Object.Meta.Key(), res.Allowed, reasons); err != nil {
		log.Printf("webhook: audit: %v", err)
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(res); err != nil {
		log.Printf("webhook: writing verdict: %v", err)
	}
}

func validateSpec(spec api.ClusterSpec) []string {
	var reasons []string
	if spec.Replicas < 1 || spec.Replicas > 9 {
		reasons = append(reasons, fmt.Sprintf("replicas must be between 1 and 9, got %d", spec.Replicas))
	}
	if spec.Replicas%2 == 0 {
		reasons = append(reasons, "replicas must be odd to keep a quorum")
	}
	if spec.Version == "" {
		reasons = append(reasons, "version is required")
	}
	return reasons
}
