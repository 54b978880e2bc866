package configui

import (
	"context"
	"log"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"example.com/edgehub/internal/device"
)

// Prober checks the uplink ("test connection" button).
type Prober interface {
	Probe(ctx context.Context) error
}

// DeviceLister lists the attached devices.
type DeviceLister interface {
	Statuses() []device.Status
}

// Event tells the hub that the configuration changed.
type Event struct {
	Kind string   `json:"kind"`
	Keys []string `json:"keys"`
}

// ExecFunc runs one device command for the UI's command form.
type ExecFunc func(ctx context.Context, dev, op string, args map[string]string) (string, error)

// Server is the local configuration UI.
type Server struct {
	store     *Store
	devices   DeviceLister
	uplink    Prober
	events    chan Event
	uploadDir string

	// Exec runs commands from the UI; nil disables the command form.
	Exec ExecFunc
	// SegmentDir is where the buffer keeps its segment files.
	SegmentDir string
	// WebhookURL receives UI events for the cloud; empty disables it.
	WebhookURL string

	mu      sync.Mutex
	rescans int
	acked   []string
}

// NewServer returns a UI server over store.
func NewServer(store *Store, devs DeviceLister, up Prober, uploadDir string) *Server {
	return &Server{store: store, devices: devs, uplink: up, uploadDir: uploadDir, events: make(chan Event)}
}

// Events delivers configuration changes; the hub must keep reading it.
func (s *Server) Events() <-chan Event { return s.events }

// Handler returns the UI's HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/status", s.handleStatus)
	mux.HandleFunc("/api/config", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			s.handleGetConfig(w, r)
		case http.MethodPut:
			s.handlePutConfig(w, r)
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
	mux.HandleFunc("/api/uplink/test", s.handleTestUplink)
	mux.HandleFunc("/api/command", s.handleCommand)
	mux.HandleFunc("/api/firmware", s.handleFirmwareUpload)
	mux.HandleFunc("/api/rescan", s.handleRescan)
	mux.HandleFunc("/api/export", s.handleExport)
	mux.HandleFunc("/api/alarm/ack", s.handleAck)
	mux.HandleFunc("/api/value", s.handleSetValue)
	mux.HandleFunc("/api/device", s.handleDeviceInfo)
	return withRecover(mux)
}

// withRecover turns a handler panic into a logged 500.
func withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				log.Printf("configui: panic serving %s: %v\n%s", r.URL.Path, rec, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// logPanic logs a recovered panic value, if any.
func logPanic(where string, r any) {
	if r != nil {
		log.Printf("configui: panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// Reload re-reads the configuration file from disk, e.g. after a USB
// import; a corrupt file must not take the UI down.
func (s *Server) Reload() error {
	defer logPanic("config reload", recover()) // HAZ recover-ineffective
	fresh, err := OpenStore(s.store.path)
	if err != nil {
		return err
	}
	s.store.Replace(fresh.snapshot())
	return nil
}

// ReloadSafe re-reads the configuration file and logs a panic caused by a
// corrupt file instead of crashing.
func (s *Server) ReloadSafe() error {
	defer func() { logPanic("config reload", recover()) }()
	fresh, err := OpenStore(s.store.path)
	if err != nil {
		return err
	}
	s.store.Replace(fresh.snapshot())
	return nil
}

// rescan looks for devices that went quiet and logs a summary.
func (s *Server) rescan() {
	sts := s.devices.Statuses()
	stale := 0
	for _, st := range sts {
		if time.Since(st.LastSeen) > 5*time.Minute {
			stale++
		}
	}
	s.mu.Lock()
	s.rescans++
	s.mu.Unlock()
	log.Printf("configui: rescan: %d of %d devices quiet", stale, len(sts))
}
