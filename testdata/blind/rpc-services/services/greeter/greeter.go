// Package greeter is the demo service: unary and streaming greetings, plus
// a REST endpoint used through the gateway.
package greeter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"sync"
	"time"

	"example.com/rpcservices/rpc"
	"example.com/rpcservices/trace"
)

// HelloRequest asks for a greeting.
type HelloRequest struct {
	Name   string `json:"name"`
	Locale string `json:"locale,omitempty"`
	Count  int    `json:"count,omitempty"`
}

// HelloReply is a greeting.
type HelloReply struct {
	Message string `json:"message"`
}

// Translator translates greetings.
type Translator interface {
	Translate(ctx context.Context, text, locale string) (string, error)
}

// Service implements greeter.v1.Greeter.
type Service struct {
	log       *slog.Logger
	greetings map[string]string
	tr        Translator
	interval  time.Duration
	mu        sync.Mutex
	counts    map[string]int
}

// New returns the service.
func New(log *slog.Logger, tr Translator) *Service {
	return &Service{
		log:       log,
		greetings: map[string]string{"en": "Hello", "fr": "Bonjour", "de": "Hallo", "es": "Hola"},
		tr:        tr,
		interval:  100 * time.Millisecond,
		counts:    make(map[string]int),
	}
}

const serviceName = "greeter.v1.Greeter"

// Register adds the service to an RPC server.
func (s *Service) Register(rs *rpc.Server) {
	rs.RegisterUnary(serviceName, rpc.UnaryMethod{
		Name:       "SayHello",
		NewRequest: func() any { return new(HelloRequest) },
		Handler:    s.SayHello,
	})
	rs.RegisterStream(serviceName, rpc.StreamMethod{
		Name:       "SayHelloStream",
		NewRequest: func() any { return new(HelloRequest) },
		Handler:    s.SayHelloStream,
	})
}

// SayHello greets one person.
func (s *Service) SayHello(ctx context.Context, req any) (any, error) {
	defer trace.Region(ctx, "greeter.SayHello") // HAZ defer-func-result-not-called
	r := req.(*HelloRequest)
	if r.Name == "" {
		return nil, rpc.Errorf(rpc.InvalidArgument, "name is required")
	}
	s.bump(r.Name)
	return &HelloReply{Message: s.greeting(r.Locale) + ", " + r.Name}, nil
}

// SayHelloStream sends Count greetings, one per interval.
func (s *Service) SayHelloStream(ctx context.Context, req any, ss *rpc.ServerStream) error {
	defer recover() // HAZ recover-ineffective
	defer trace.Region(ctx, "greeter.SayHelloStream")()
	r := req.(*HelloRequest)
	n := r.Count
	if n <= 0 {
		n = 3
	}
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for i := range n {
		msg := fmt.Sprintf("%s #%d, %s", s.greeting(r.Locale), i+1, r.Name)
		if err := ss.Send(&HelloReply{Message: msg}); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

func (s *Service) greeting(locale string) string {
	if g, ok := s.greetings[locale]; ok {
		return g
	}
	return s.greetings["en"]
}

func (s *Service) bump(name string) {
	s.mu.Lock()
	s.counts[name]++
	s.mu.Unlock()
}

// Counts returns how often each name was greeted.
func (s *Service) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.counts)
}

type translated struct {
	text string
	err  error
}

// HandleHello is the REST endpoint: GET /hello?name=..&locale=..
// Translation gets 200ms; after that the answer is English.
func (s *Service) HandleHello(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if name == "" {
		http.Error(w, "name is required", http.StatusBadRequest)
		return
	}
	locale := r.URL.Query().Get("locale")
	msg := s.greeting("en") + ", " + name
	ch := make(chan translated)
	go func() {
		text, err := s.tr.Translate(r.Context(), msg, locale)
		ch <- translated{text: text, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err == nil {
			msg = res.text
		}
	case <-time.After(200 * time.Millisecond):
		s.log.Debug("translation timed out, answering in English", "locale", locale)
	}
	writeJSON(w, HelloReply{Message: msg})
}

// HandleTranslate is HandleHello for arbitrary text. The channel has room
// for the one result, so a late translation does not block its goroutine.
func (s *Service) HandleTranslate(w http.ResponseWriter, r *http.Request) {
	text, locale := r.URL.Query().Get("text"), r.URL.Query().Get("locale")
	ch := make(chan translated, 1)
	go func() {
		out, err := s.tr.Translate(r.Context(), text, locale)
		ch <- translated{text: out, err: err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, HelloReply{Message: res.text})
	case <-time.After(500 * time.Millisecond):
		http.Error(w, "translation timed out", http.StatusGatewayTimeout)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// StaticTranslator knows a few fixed phrases.
type StaticTranslator map[string]map[string]string

// Translate implements Translator.
func (t StaticTranslator) Translate(_ context.Context, text, locale string) (string, error) {
	if out, ok := t[locale][text]; ok {
		return out, nil
	}
	return "", fmt.Errorf("no %s translation for %q", locale, text)
}

// HTTPTranslator calls a translation service.
type HTTPTranslator struct {
	HC   *http.Client
	Base string
}

// Translate implements Translator.
func (t *HTTPTranslator) Translate(ctx context.Context, text, locale string) (string, error) {
	body, err := json.Marshal(map[string]string{"text": text, "target": locale})
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.Base+"/translate", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := t.HC.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("translate: %s", resp.Status)
	}
	var out struct {
		Text string `json:"text"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", err
	}
	return out.Text, nil
}
