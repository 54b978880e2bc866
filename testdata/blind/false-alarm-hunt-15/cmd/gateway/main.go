// Command gateway fronts the pricing service with a small JSON API.
package main

import (
	"flag"
	"net/http"
	"os"
	"time"

	"example.com/fah15/internal/bufpool"
	"example.com/fah15/internal/httpx"
	"example.com/fah15/internal/logx"
	"example.com/fah15/internal/trace"
)

type price struct {
	SKU   string `json:"sku"`
	Cents int64  `json:"cents"`
}

func priceHandler(tr *trace.Tracer, c *httpx.Client) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, span := tr.Start(r.Context(), "GET /price/{sku}")
		defer span.End()
		var p price
		if err := c.GetJSON(ctx, "/prices/"+r.PathValue("sku"), &p); err != nil {
			span.RecordError(err)
			http.Error(w, "upstream error", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = bufpool.WriteJSON(w, p)
	}
}

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	upstream := flag.String("upstream", "http://pricing:8080", "pricing service base URL")
	flag.Parse()

	logger := logx.New(os.Stderr)
	defer logger.Sync()

	tracer := trace.NewTracer(1024, nil)
	client := httpx.NewClient(*upstream, tracer, logger)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /price/{sku}", priceHandler(tracer, client))
	hs := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	logger.Info("gateway listening", "addr", *addr)
	if err := hs.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Error("serve", "err", err)
	}
}
