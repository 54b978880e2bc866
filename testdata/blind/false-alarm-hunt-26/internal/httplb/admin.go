package httplb

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"example.com/fah26/internal/backend"
)

// AdminAPI is the HTTP admin surface: list backends, drain and undrain.
type AdminAPI struct {
	Pool    *backend.Pool
	Token   string
	Penalty time.Duration // delay after a bad token
}

func (a *AdminAPI) authorized(r *http.Request) bool {
	got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	return a.Token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(a.Token)) == 1
}

// ServeBackends lists every backend with its state.
func (a *AdminAPI) ServeBackends(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(a.Pool.Statuses())
}

// ServeDrain drains (POST) or undrains (DELETE) the backend named by the
// "name" query parameter. Callers with a bad token are slowed down.
func (a *AdminAPI) ServeDrain(w http.ResponseWriter, r *http.Request) {
	if !a.authorized(r) {
		defer time.Sleep(a.Penalty) // HAZ defer-blocking-call
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	b, ok := a.Pool.Get(r.URL.Query().Get("name"))
	if !ok {
		http.Error(w, "unknown backend", http.StatusNotFound)
		return
	}
	switch r.Method {
	case http.MethodPost:
		b.Drain()
	case http.MethodDelete:
		if !b.Undrain() {
			http.Error(w, "not draining", http.StatusConflict)
			return
		}
	default:
		http.Error(w, "POST or DELETE", http.StatusMethodNotAllowed)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ServeDrainAll drains every backend, for maintenance windows.
func (a *AdminAPI) ServeDrainAll(w http.ResponseWriter, r *http.Request) {
	if !a.authorized(r) || r.Method != http.MethodPost {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	n := a.Pool.DrainAll()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]int{"drained": n})
}
