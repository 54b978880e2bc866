package inventory

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"example.com/rpcservices/rpc"
)

// AdminRoutes serves the operator endpoints.
func (s *Service) AdminRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /admin/restock", s.handleAdminRestock)
	mux.HandleFunc("GET /admin/low-stock", s.handleLowStock)
	mux.HandleFunc("GET /admin/export.csv", s.handleExportCSV)
	return mux
}

func (s *Service) handleAdminRestock(w http.ResponseWriter, r *http.Request) {
	var lines []RestockRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&lines); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer s.audits.Wait() // HAZ defer-blocking-call
	for _, line := range lines {
		if _, err := s.Restock(r.Context(), &line); err != nil {
			http.Error(w, err.Error(), rpc.CodeOf(err).HTTPStatus())
			return
		}
		s.audits.Add(1)
		go func() {
			defer s.audits.Done()
			s.syncWarehouse(context.WithoutCancel(r.Context()), line.SKU)
		}()
	}
	w.WriteHeader(http.StatusNoContent)
}

// syncWarehouse pushes the stock level of sku, bounded by its own timeout.
func (s *Service) syncWarehouse(ctx context.Context, sku string) {
	if s.warehouseURL == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	body, err := json.Marshal(map[string]any{"sku": sku, "available": s.Available(sku)})
	if err != nil {
		s.log.Warn("warehouse sync", "sku", sku, "err", err)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.warehouseURL+"/stock", bytes.NewReader(body))
	if err != nil {
		s.log.Warn("warehouse sync", "sku", sku, "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.hc.Do(req)
	if err != nil {
		s.log.Warn("warehouse sync", "sku", sku, "err", err)
		return
	}
	resp.Body.Close()
}

func (s *Service) handleLowStock(w http.ResponseWriter, r *http.Request) {
	threshold := 5
	if v := r.URL.Query().Get("threshold"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			http.Error(w, "bad threshold", http.StatusBadRequest)
			return
		}
		threshold = n
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s.LowStock(threshold))
}

// handleExportCSV streams the items as CSV; the CSV writer is flushed and
// its error checked before returning.
func (s *Service) handleExportCSV(w http.ResponseWriter, _ *http.Request) {
	items := s.matching("")
	events := make([]AuditEvent, 0, len(items))
	now := time.Now()
	for _, it := range items {
		events = append(events, AuditEvent{Time: now, Op: "snapshot", SKU: it.SKU, Qty: it.Qty})
	}
	w.Header().Set("Content-Type", "text/csv")
	if err := writeAuditCSV(w, events); err != nil {
		s.log.Warn("export csv", "err", err)
	}
}
