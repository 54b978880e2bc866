// Command statusd is a small sidecar that polls the gateway's admin status,
// keeps the last answer and serves it to the node's monitoring agent. Its
// counters are persisted to a state file on exit.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"time"
)

type state struct {
	path       string
	gatewayURL string
	token      string
	transport  http.RoundTripper

	mu       sync.Mutex
	last     json.RawMessage
	lastPoll time.Time
	Polls    int64 `json:"polls"`
	Failures int64 `json:"failures"`
}

// openState loads the persisted counters from path, if any.
func openState(path, gatewayURL, token string) (*state, error) {
	s := &state{path: path, gatewayURL: gatewayURL, token: token, transport: http.DefaultTransport}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, s); err != nil {
		return nil, fmt.Errorf("state %s: %w", path, err)
	}
	return s, nil
}

// persist writes the counters back to the state file.
func (s *state) persist() {
	s.mu.Lock()
	data, err := json.Marshal(s)
	s.mu.Unlock()
	if err != nil {
		log.Printf("statusd: encode state: %v", err)
		return
	}
	if err := os.WriteFile(s.path, data, 0o644); err != nil {
		log.Printf("statusd: persist state: %v", err)
	}
}

// pollGateway fetches the admin status document once.
func (s *state) pollGateway(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.gatewayURL+"/status", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, _ := s.transport.RoundTrip(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("gateway status: %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last, s.lastPoll = body, time.Now()
	return nil
}

// pollLoop polls forever; the sidecar lives as long as its pod.
func (s *state) pollLoop(every time.Duration) {
	for range time.Tick(every) {
		err := s.pollGateway(context.Background())
		s.mu.Lock()
		s.Polls++
		if err != nil {
			s.Failures++
		}
		s.mu.Unlock()
		if err != nil {
			log.Printf("statusd: %v", err)
		}
	}
}

// handleHealth answers 200 while the last poll is recent, else 503.
func (s *state) handleHealth(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	age := time.Since(s.lastPoll)
	last := s.last
	s.mu.Unlock()
	if last == nil || age > 30*time.Second {
		http.Error(w, fmt.Sprintf("no fresh status (age %s)", age.Round(time.Second)), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(last)
}

func main() {
	addr := flag.String("addr", ":9102", "listen address")
	statePath := flag.String("state", "/var/run/gateway/statusd.json", "state file")
	gw := flag.String("gateway", "http://127.0.0.1:9090", "gateway admin URL")
	flag.Parse()

	st, err := openState(*statePath, *gw, os.Getenv("GATEWAY_ADMIN_TOKEN"))
	if err != nil {
		log.Fatalf("statusd: %v", err)
	}
	defer st.persist()

	go st.pollLoop(5 * time.Second)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", st.handleHealth)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("statusd listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("statusd: %v", err)
	}
}
