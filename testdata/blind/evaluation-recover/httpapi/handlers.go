// Package httpapi exposes the billing service over HTTP.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"example.com/blindb/safe"
)

// Refunder issues refunds.
type Refunder interface {
	Refund(ctx context.Context, invoiceID string) error
}

// AuditTrail records who did what.
type AuditTrail struct {
	mu      sync.Mutex
	entries []string
}

// Write appends an audit line.
func (a *AuditTrail) Write(line string) {
	a.mu.Lock()
	a.entries = append(a.entries, line)
	a.mu.Unlock()
}

// Warmer prefetches data for a user after login.
type Warmer struct {
	log *log.Logger
}

// Warm loads the caches of user.
func (w *Warmer) Warm(ctx context.Context, user string) {
	if ctx.Err() != nil {
		return
	}
	w.log.Printf("warmed caches for %s", user)
}

// API holds the handlers.
type API struct {
	svc    Refunder
	log    *log.Logger
	audit  *AuditTrail
	warmer *Warmer
}

// New returns the API.
func New(svc Refunder, l *log.Logger) *API {
	return &API{svc: svc, log: l, audit: &AuditTrail{}, warmer: &Warmer{log: l}}
}

func (a *API) logResult(method, path string, err error) {
	if err != nil {
		a.log.Printf("%s %s failed: %v", method, path, err)
		return
	}
	a.log.Printf("%s %s ok", method, path)
}

// writePanic answers 500 for a recovered panic value.
func (a *API) writePanic(w http.ResponseWriter, r *http.Request, p any) {
	a.log.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, p, debug.Stack())
	http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
}

// recoverHTTP is deferred directly by handlers: `defer a.recoverHTTP(w, r)`.
func (a *API) recoverHTTP(w http.ResponseWriter, r *http.Request) {
	if p := recover(); p != nil {
		if p == http.ErrAbortHandler {
			panic(p)
		}
		a.writePanic(w, r, p)
	}
}

// respondOnPanic is meant to turn a panic into a 500, but handlers only call
// it from inside a deferred closure.
func respondOnPanic(w http.ResponseWriter, l *log.Logger) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		l.Printf("handler panic: %v", p)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// ServeRefund handles POST /refund?id=...
func (a *API) ServeRefund(w http.ResponseWriter, r *http.Request) {
	var err error
	defer a.logResult(r.Method, r.URL.Path, err) // HAZ defer-eager-evaluation
	id := r.URL.Query().Get("id")
	if id == "" {
		err = errors.New("missing id")
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err = a.svc.Refund(r.Context(), id); err != nil {
		http.Error(w, "refund failed", http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ServeInvoiceCount answers with the number of invoices of a customer.
func (a *API) ServeInvoiceCount(w http.ResponseWriter, r *http.Request) {
	defer func() {
		respondOnPanic(w, a.log)
	}()
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil {
		http.Error(w, "bad n", http.StatusBadRequest)
		return
	}
	counts := make([]int, 4)
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(map[string]int{"count": counts[n]}); err != nil {
		a.log.Printf("encode: %v", err)
	}
}

// ServeLogin logs a user in and warms its caches in the background.
func (a *API) ServeLogin(w http.ResponseWriter, r *http.Request) {
	defer a.recoverHTTP(w, r)
	user := r.FormValue("user")
	if user == "" {
		http.Error(w, "missing user", http.StatusBadRequest)
		return
	}
	ctx := context.WithoutCancel(r.Context())
	go func() { // HAZ goroutine-outside-recover
		a.audit.Write(fmt.Sprintf("%s login %s", time.Now().Format(time.RFC3339), user))
		a.warmer.Warm(ctx, user)
	}()
	w.WriteHeader(http.StatusNoContent)
}

// ---- negatives -----------------------------------------------------------

// ServeRefundLogged logs the final error from a deferred closure.
func (a *API) ServeRefundLogged(w http.ResponseWriter, r *http.Request) {
	var err error
	defer func() { a.logResult(r.Method, r.URL.Path, err) }() // ok: err read at exit
	id := r.URL.Query().Get("id")
	if id == "" {
		err = errors.New("missing id")
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err = a.svc.Refund(r.Context(), id); err != nil {
		http.Error(w, "refund failed", http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Recoverer is the standard panic middleware: logs the panic, answers 500
// and lets http.ErrAbortHandler through.
func (a *API) Recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p) // ok: re-panic the sentinel
				}
				a.writePanic(w, r, p)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// ServeInvoiceCountSafe defers the recover helper directly.
func (a *API) ServeInvoiceCountSafe(w http.ResponseWriter, r *http.Request) {
	defer a.recoverHTTP(w, r) // ok: recoverHTTP calls recover directly
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n < 0 || n > 3 {
		http.Error(w, "bad n", http.StatusBadRequest)
		return
	}
	counts := make([]int, 4)
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(map[string]int{"count": counts[n]}); err != nil {
		a.log.Printf("encode: %v", err)
	}
}

// ServeLoginSafe gives the background goroutine its own recover.
func (a *API) ServeLoginSafe(w http.ResponseWriter, r *http.Request) {
	defer a.recoverHTTP(w, r)
	user := r.FormValue("user")
	if user == "" {
		http.Error(w, "missing user", http.StatusBadRequest)
		return
	}
	ctx := context.WithoutCancel(r.Context())
	go func() {
		defer safe.Recover(a.log, "login warmup "+user) // ok: own recover
		a.audit.Write(user + " login")
		a.warmer.Warm(ctx, user)
	}()
	w.WriteHeader(http.StatusNoContent)
}
