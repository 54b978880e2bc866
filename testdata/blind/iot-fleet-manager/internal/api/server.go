// Package api serves the operator HTTP API of fleetd.
package api

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"time"

	"example.com/fleet/internal/certs"
	"example.com/fleet/internal/cmdqueue"
	"example.com/fleet/internal/journal"
	"example.com/fleet/internal/metrics"
	"example.com/fleet/internal/pubsub"
	"example.com/fleet/internal/rollout"
	"example.com/fleet/internal/session"
	"example.com/fleet/internal/telemetry"
)

// Deps are the components the API operates on.
type Deps struct {
	Sessions *session.Manager
	Queue    *cmdqueue.Queue
	Rollout  *rollout.Controller
	Ring     *telemetry.Ring
	Broker   *pubsub.Broker
	Certs    *certs.Rotator
	Metrics  *metrics.Registry
	Journal  *journal.Journal
	ImageDir string
	Token    string
	Logger   *log.Logger
}

// AuditEntry records one operator action.
type AuditEntry struct {
	At       time.Time
	Operator string
	Action   string
	Target   string
	Err      string
}

// Server is the operator API.
type Server struct {
	deps    Deps
	audit   chan AuditEntry
	handler http.Handler
}

// NewServer builds the API and its routes.
func NewServer(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = log.New(io.Discard, "", 0)
	}
	if d.Metrics == nil {
		d.Metrics = metrics.NewRegistry()
	}
	s := &Server{deps: d, audit: make(chan AuditEntry)}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/devices", s.handleListDevices)
	mux.HandleFunc("/v1/devices/command", s.handleSendCommand)
	mux.HandleFunc("/v1/devices/ping", s.handlePing)
	mux.HandleFunc("/v1/broadcast", s.handleBroadcast)
	mux.HandleFunc("/v1/telemetry", s.handleTelemetry)
	mux.HandleFunc("/v1/telemetry/ring", s.handleResizeRing)
	mux.HandleFunc("/v1/rollout", s.handleRolloutStatus)
	mux.HandleFunc("/v1/rollout/pause", s.handleRolloutPause)
	mux.HandleFunc("/v1/firmware", withTracing("firmware", s.handleUploadFirmware))
	mux.HandleFunc("/v1/certs/rotate", s.handleRotateCert)
	mux.HandleFunc("/v1/events", s.handleEvents)
	mux.HandleFunc("/v1/devices/reboot", s.handleReboot)
	mux.HandleFunc("/v1/devices/factory-reset", s.handleFactoryReset)
	mux.HandleFunc("/v1/devices/report", s.handleDeviceReport)
	mux.HandleFunc("/v1/devices/latency", s.handleLatency)
	mux.HandleFunc("/v1/devices/kick", s.handleKick)
	mux.HandleFunc("/v1/rollout/start", s.handleStartRollout)
	mux.HandleFunc("/v1/certs/upload", s.handleCertUpload)
	mux.HandleFunc("/v1/commands", s.handleQueue)
	mux.HandleFunc("/v1/devices/reboot-all", s.handleBulkReboot)
	mux.HandleFunc("/v1/commands/cancel", s.handleCancelCommand)
	mux.Handle("/metrics", d.Metrics.Handler())
	s.handler = withRecover(withLogging(withAuth(d.Token, mux), d.Logger), d.Logger)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// RunAuditor writes audit entries to the journal until ctx is done.
func (s *Server) RunAuditor(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-s.audit:
			var err error
			if e.Err != "" {
				err = errors.New(e.Err)
			}
			s.deps.Journal.Record(e.Target, e.Operator+":"+e.Action, err)
		}
	}
}
