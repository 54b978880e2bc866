package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"example.com/fah22/internal/httpx"
	"example.com/fah22/internal/upstream"
)

type quoteReply struct {
	price float64
	err   error
}

// UpstreamPricer quotes prices through the catalogue backend.
type UpstreamPricer struct {
	Client *upstream.Client
	Path   string
}

// Quote implements Pricer.
func (p UpstreamPricer) Quote(ctx context.Context, sym string) (float64, error) {
	var out struct {
		Price float64 `json:"price"`
	}
	if err := p.Client.GetJSON(ctx, p.Path+"/"+url.PathEscape(sym), &out); err != nil {
		return 0, err
	}
	if out.Price <= 0 {
		return 0, fmt.Errorf("pricing: no price for %q", sym)
	}
	return out.Price, nil
}

// Quote answers with the primary pricer's quote, or 504 once the request
// deadline passes.
func (h *Handlers) Quote(w http.ResponseWriter, r *http.Request) {
	sym := r.PathValue("sym")
	ctx, cancel := context.WithTimeout(r.Context(), h.d.Timeout)
	defer cancel()

	replies := make(chan quoteReply)
	go func() {
		p, err := h.d.Pricing.Quote(ctx, sym)
		replies <- quoteReply{price: p, err: err} // HAZ goroutine-blocked-send
	}()

	select {
	case rep := <-replies:
		if rep.err != nil {
			httpx.WriteError(w, http.StatusBadGateway, rep.err)
			return
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"symbol": sym, "price": rep.price})
	case <-ctx.Done():
		httpx.WriteError(w, http.StatusGatewayTimeout, ctx.Err())
	}
}

// HedgedQuote asks the primary pricer and, if it is slow, the backup; the
// first good answer wins. The reply channel has room for every pricer, so
// the losers never block.
func (h *Handlers) HedgedQuote(w http.ResponseWriter, r *http.Request) {
	sym := r.PathValue("sym")
	ctx, cancel := context.WithTimeout(r.Context(), h.d.Timeout)
	defer cancel()

	pricers := []Pricer{h.d.Pricing, h.d.Backup}
	replies := make(chan quoteReply, len(pricers))
	for i, p := range pricers {
		go func() {
			if i > 0 {
				t := time.NewTimer(h.d.HedgeAfter)
				defer t.Stop()
				select {
				case <-t.C:
				case <-ctx.Done():
					replies <- quoteReply{err: ctx.Err()}
					return
				}
			}
			price, err := p.Quote(ctx, sym)
			replies <- quoteReply{price: price, err: err}
		}()
	}

	var errs []error
	for range pricers {
		select {
		case rep := <-replies:
			if rep.err == nil {
				httpx.WriteJSON(w, http.StatusOK, map[string]any{"symbol": sym, "price": rep.price})
				return
			}
			errs = append(errs, rep.err)
		case <-ctx.Done():
			httpx.WriteError(w, http.StatusGatewayTimeout, ctx.Err())
			return
		}
	}
	httpx.WriteError(w, http.StatusBadGateway, errors.Join(errs...))
}

// QuoteOnce asks the primary pricer and waits for its answer; the request
// context bounds the call, so the goroutine always gets to send.
func (h *Handlers) QuoteOnce(ctx context.Context, sym string) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, h.d.Timeout)
	defer cancel()
	replies := make(chan quoteReply)
	go func() {
		p, err := h.d.Pricing.Quote(ctx, sym)
		replies <- quoteReply{price: p, err: err}
	}()
	rep := <-replies
	return rep.price, rep.err
}
