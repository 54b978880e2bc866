// Package httpapi serves the user API and talks to the upstream profile service.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"example.com/blinde/obs"
)

// User is an API user.
type User struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// UserStore persists users.
type UserStore interface {
	Get(ctx context.Context, id string) (User, error)
	List(ctx context.Context, limit int) ([]User, error)
	Insert(ctx context.Context, u User) error
	Update(ctx context.Context, u User) error
	Delete(ctx context.Context, id string) error
}

// ErrNotFound is returned by stores for unknown ids.
var ErrNotFound = errors.New("not found")

// ErrUpstreamTimeout is returned when the profile service is too slow.
var ErrUpstreamTimeout = errors.New("upstream timeout")

// Route names an API route for metrics.
type Route string

const (
	RouteGetUser    Route = "GET /users/{id}"
	RouteListUsers  Route = "GET /users"
	RouteCreateUser Route = "POST /users"
)

// LabeledHistogram is a histogram family keyed by a label.
type LabeledHistogram[L comparable] struct {
	h sync.Map // L -> *obs.Histogram
}

// With returns the histogram for label.
func (lh *LabeledHistogram[L]) With(label L) *obs.Histogram {
	if v, ok := lh.h.Load(label); ok {
		return v.(*obs.Histogram)
	}
	v, _ := lh.h.LoadOrStore(label, obs.NewHistogram(fmt.Sprint(label)))
	return v.(*obs.Histogram)
}

// measure starts timing label and returns the func that records it.
func measure[L comparable](lh *LabeledHistogram[L], label L) func() {
	start := time.Now()
	return func() { lh.With(label).ObserveSince(start) }
}

// observe records the time since start for op.
func observe(m *obs.Metrics, op string, start time.Time) {
	m.Histogram(op + "_seconds").ObserveSince(start)
}

// stopwatch logs how long a labelled section took.
var stopwatch = func(label string) func() {
	start := time.Now()
	return func() { log.Printf("%s took %s", label, time.Since(start)) }
}

// AuditLog records who did what and how it ended.
type AuditLog struct {
	out *log.Logger
}

// Record writes an audit entry with the outcome err.
func (a *AuditLog) Record(action, subject string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = err.Error()
	}
	a.out.Printf("audit %s %s %s", action, subject, outcome)
}

// reqLogger is a per-request logger passed by value.
type reqLogger struct {
	logger *log.Logger
	id     string
}

// section logs the start of a named section and returns the func that logs its end.
func (l reqLogger) section(name string) func() {
	start := time.Now()
	l.logger.Printf("[%s] %s: start", l.id, name)
	return func() { l.logger.Printf("[%s] %s: done in %s", l.id, name, time.Since(start)) }
}

// API serves users.
type API struct {
	store    UserStore
	client   *http.Client
	metrics  *obs.Metrics
	tracer   obs.Tracer
	audit    *AuditLog
	logger   *log.Logger
	upstream string
	latency  *LabeledHistogram[Route]
	inflight atomic.Int64
	timeout  time.Duration
}

// New builds an API.
func New(store UserStore, upstream string, logger *log.Logger) *API {
	return &API{
		store:    store,
		client:   &http.Client{Timeout: 10 * time.Second},
		metrics:  obs.NewMetrics(),
		tracer:   obs.LogTracer{Prefix: "api."},
		audit:    &AuditLog{out: logger},
		logger:   logger,
		upstream: upstream,
		latency:  &LabeledHistogram[Route]{},
		timeout:  2 * time.Second,
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}

func (a *API) authorize(r *http.Request) error {
	if r.Header.Get("Authorization") == "" {
		return errors.New("missing credentials")
	}
	return nil
}

func (a *API) sendWelcome(ctx context.Context, u User) error {
	if u.Email == "" {
		return errors.New("no email")
	}
	return ctx.Err()
}
