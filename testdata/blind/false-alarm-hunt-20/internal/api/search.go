package api

import (
	"context"
	"net/http"
	"sort"

	"example.com/fah20/internal/web"
)

// Hit is one search result.
type Hit struct {
	Backend string  `json:"backend"`
	Title   string  `json:"title"`
	URL     string  `json:"url"`
	Score   float64 `json:"score"`
}

// SearchBackend is one index the API fans out to.
type SearchBackend interface {
	Name() string
	Search(ctx context.Context, q string) ([]Hit, error)
	Suggest(ctx context.Context, prefix string) []string
}

// searchAll queries every backend and returns the hits of the ones that
// answered before the search deadline.
func (a *API) searchAll(ctx context.Context, q string) []Hit {
	ctx, cancel := context.WithTimeout(ctx, a.searchTimeout)
	defer cancel()
	results := make(chan []Hit, len(a.backends))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, b := range a.backends {
		go func() {
			hits, err := b.Search(ctx, q)
			if err != nil {
				a.logger.Printf("search: %s: %v", b.Name(), err)
			}
			results <- hits
		}()
	}
	var all []Hit
	for range a.backends {
		select {
		case hits := <-results:
			all = append(all, hits...)
		case <-ctx.Done():
			return all
		}
	}
	return all
}

// suggest asks every backend for completions. The channel has room for
// every backend, so the late ones finish their send and exit after we return.
func (a *API) suggest(ctx context.Context, prefix string) []string {
	ctx, cancel := context.WithTimeout(ctx, a.searchTimeout)
	defer cancel()
	ch := make(chan []string, len(a.backends))
	for _, b := range a.backends {
		go func() { ch <- b.Suggest(ctx, prefix) }()
	}
	seen := map[string]bool{}
	var out []string
	for range a.backends {
		select {
		case words := <-ch:
			for _, w := range words {
				if !seen[w] {
					seen[w] = true
					out = append(out, w)
				}
			}
		case <-ctx.Done():
			sort.Strings(out)
			return out
		}
	}
	sort.Strings(out)
	return out
}

func (a *API) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if q == "" {
		web.Error(w, http.StatusBadRequest, "q is required")
		return
	}
	hits := a.searchAll(r.Context(), q)
	sort.Slice(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	_ = web.WriteJSON(w, http.StatusOK, hits)
}

func (a *API) suggestHandler(w http.ResponseWriter, r *http.Request) {
	_ = web.WriteJSON(w, http.StatusOK, a.suggest(r.Context(), r.URL.Query().Get("p")))
}
