package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"example.com/fah31/api"
)

func decodeObject(w http.ResponseWriter, r *http.Request) (*api.Object, error) {
	var obj api.Object
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&obj); err != nil {
		return nil, err
	}
	if obj.Name == "" {
		return nil, errors.New("metadata.name is required")
	}
	return &obj, nil
}

// handleValidateStrict validates with a deadline and makes sure the
// validator goroutine has finished before the handler returns.
func (s *Server) handleValidateStrict(w http.ResponseWriter, r *http.Request) {
	obj, err := decodeObject(w, r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	result := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		result <- s.validate(ctx, obj)
	}()
	defer func() { <-done }() // HAZ defer-blocking-call
	select {
	case err := <-result:
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-ctx.Done():
		http.Error(w, "validation timed out", http.StatusGatewayTimeout)
	}
}

// handleDryRun validates and, if the object exists, reports what would change.
func (s *Server) handleDryRun(w http.ResponseWriter, r *http.Request) {
	obj, err := decodeObject(w, r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	verdict := make(chan error)
	go func() {
		verdict <- s.validate(r.Context(), obj) // HAZ goroutine-blocked-send
	}()
	cur, ok := s.store.Get(api.KeyOf(obj))
	if !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if err := <-verdict; err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"generation": cur.Generation + 1,
		"specChange": len(obj.Spec) != len(cur.Spec),
	})
}

// handleDiff is handleDryRun with the lookup done before the validator
// starts, so every path after the go statement receives its result.
func (s *Server) handleDiff(w http.ResponseWriter, r *http.Request) {
	obj, err := decodeObject(w, r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	cur, ok := s.store.Get(api.KeyOf(obj))
	if !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	verdict := make(chan error)
	go func() {
		verdict <- s.validate(r.Context(), obj)
	}()
	if err := <-verdict; err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"generation": cur.Generation + 1,
		"specChange": len(obj.Spec) != len(cur.Spec),
	})
}

// checkUpstream pings an upstream URL. A redirect-policy error can come
// with a non-nil response, so the body is closed whenever there is one.
func checkUpstream(ctx context.Context, hc *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := hc.Do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
