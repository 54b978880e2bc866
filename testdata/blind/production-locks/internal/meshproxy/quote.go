package meshproxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

type Quote struct {
	Symbol string  `json:"symbol"`
	Bid    float64 `json:"bid"`
	Ask    float64 `json:"ask"`
}

type PricingClient interface {
	Quote(ctx context.Context, symbol string) (Quote, error)
}

type quoteResult struct {
	quote Quote
	err   error
}

// QuoteHandler serves /v1/quote by asking the pricing backend.
type QuoteHandler struct {
	pricing PricingClient
	log     *slog.Logger
}

func (h *QuoteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sym := strings.ToUpper(r.URL.Query().Get("symbol"))
	if sym == "" {
		http.Error(w, "symbol is required", http.StatusBadRequest)
		return
	}
	resc := make(chan quoteResult) // HAZ goroutine-blocked-send
	go func() {
		q, err := h.pricing.Quote(r.Context(), sym)
		resc <- quoteResult{quote: q, err: err}
	}()
	select {
	case res := <-resc:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(res.quote); err != nil {
			h.log.Debug("write quote", "err", err)
		}
	case <-r.Context().Done():
		h.log.Info("client disconnected before quote was ready", "symbol", sym)
	}
}

// StreamingQuoteHandler is the same endpoint behind the streaming gateway;
// the pricing goroutine gives up once the request context is gone.
type StreamingQuoteHandler struct {
	pricing PricingClient
	log     *slog.Logger
}

func (h *StreamingQuoteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sym := strings.ToUpper(r.URL.Query().Get("symbol"))
	if sym == "" {
		http.Error(w, "symbol is required", http.StatusBadRequest)
		return
	}
	resc := make(chan quoteResult)
	go func() {
		q, err := h.pricing.Quote(ctx, sym)
		select {
		case resc <- quoteResult{quote: q, err: err}:
		case <-ctx.Done(): // ok: parent left via the same ctx
		}
	}()
	select {
	case res := <-resc:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(res.quote)
	case <-ctx.Done():
		h.log.Info("client disconnected before quote was ready", "symbol", sym)
	}
}

// HedgedClient sends the same idempotent GET to every replica and keeps the
// first good answer.
type HedgedClient struct {
	client   *http.Client
	backends []string
	log      *slog.Logger
}

type hedgeAttempt struct {
	resp    *http.Response
	err     error
	backend string
}

func (c *HedgedClient) do(ctx context.Context, backend, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, backend+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 500 {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return nil, fmt.Errorf("%s: %s", backend, resp.Status)
	}
	return resp, nil
}

func (c *HedgedClient) Fetch(ctx context.Context, path string) (*http.Response, error) {
	if len(c.backends) == 0 {
		return nil, errors.New("hedged: no backends")
	}
	results := make(chan hedgeAttempt) // HAZ goroutine-blocked-send
	for _, b := range c.backends {
		go func() {
			resp, err := c.do(ctx, b, path)
			results <- hedgeAttempt{resp: resp, err: err, backend: b}
		}()
	}
	var errs []error
	for range c.backends {
		a := <-results
		if a.err == nil {
			c.log.Debug("hedged winner", "backend", a.backend)
			return a.resp, nil
		}
		errs = append(errs, a.err)
	}
	return nil, errors.Join(errs...)
}

// FetchFirst is the fixed version: the channel has room for every replica,
// and the losers' bodies are closed by a cleanup goroutine.
func (c *HedgedClient) FetchFirst(ctx context.Context, path string) (*http.Response, error) {
	if len(c.backends) == 0 {
		return nil, errors.New("hedged: no backends")
	}
	results := make(chan hedgeAttempt, len(c.backends)) // ok: one slot per sender
	for _, b := range c.backends {
		go func() {
			resp, err := c.do(ctx, b, path)
			results <- hedgeAttempt{resp: resp, err: err, backend: b}
		}()
	}
	var errs []error
	for i := range c.backends {
		a := <-results
		if a.err == nil {
			if rest := len(c.backends) - i - 1; rest > 0 {
				go drainLosers(results, rest)
			}
			return a.resp, nil
		}
		errs = append(errs, a.err)
	}
	return nil, errors.Join(errs...)
}

func drainLosers(results <-chan hedgeAttempt, n int) {
	for range n {
		if a := <-results; a.resp != nil {
			_ = a.resp.Body.Close()
		}
	}
}
