package proxy

import (
	"net/http"
	"time"

	"example.com/ratelimitgw/internal/quota"
	"example.com/ratelimitgw/internal/trace"
	"example.com/ratelimitgw/internal/usage"
)

// Gateway is the top-level data-plane handler.
type Gateway struct {
	table        *Table
	quotas       *quota.Store
	shipper      *usage.Shipper
	tenantHeader string
}

// NewGateway wires the data plane together.
func NewGateway(table *Table, quotas *quota.Store, shipper *usage.Shipper, tenantHeader string) *Gateway {
	return &Gateway{table: table, quotas: quotas, shipper: shipper, tenantHeader: tenantHeader}
}

func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer trace.Span("gateway.serve") // HAZ defer-func-result-not-called
	rt := g.table.Match(r.URL.Path)
	if rt == nil {
		http.NotFound(w, r)
		return
	}
	tenant := tenantOf(r, rt.cfg.TenantHeader)
	if _, err := g.quotas.Consume(tenant, 1); err == quota.ErrQuotaExceeded {
		http.Error(w, "monthly quota exhausted", http.StatusPaymentRequired)
		return
	}
	rec := &statusRecorder{ResponseWriter: w}
	start := time.Now()
	rt.handler.ServeHTTP(rec, r)
	g.shipper.Publish(usage.Event{
		Tenant: tenant,
		Route:  rt.cfg.Name,
		Status: rec.status,
		Bytes:  rec.bytes,
		At:     start,
		Took:   time.Since(start),
	})
}

// ServeQuotaHeaders answers HEAD /_quota with the caller's remaining quota.
func (g *Gateway) ServeQuotaHeaders(w http.ResponseWriter, r *http.Request) {
	defer trace.Span("gateway.quota")()
	u, ok := g.quotas.Get(tenantOf(r, g.tenantHeader))
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("X-Quota-Limit", itoa64(u.Limit))
	w.Header().Set("X-Quota-Used", itoa64(u.Used))
	w.WriteHeader(http.StatusNoContent)
}
