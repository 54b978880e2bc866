// Package api serves the HTTP query and admin API of tsdbd.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"example.com/tsdb"
	"example.com/tsdb/head"
	"example.com/tsdb/model"
	"example.com/tsdb/query"
)

// API holds the handlers.
type API struct {
	db           *tsdb.DB
	logger       *log.Logger
	queryTimeout time.Duration
	started      time.Time
}

// New returns the API over db.
func New(db *tsdb.DB, logger *log.Logger, queryTimeout time.Duration) *API {
	return &API{db: db, logger: logger, queryTimeout: queryTimeout, started: time.Now()}
}

// Register installs the routes on mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/query_range", a.withRecover(a.handleQueryRange))
	mux.Handle("GET /api/v1/series", a.withRecover(a.handleSeries))
	mux.Handle("GET /api/v1/labels/{name}/values", a.withRecover(a.handleLabelValues))
	mux.Handle("GET /api/v1/status", a.withRecover(a.handleStatus))
	mux.Handle("POST /api/v1/admin/check", a.withRecover(a.handleCheck))
}

// withRecover turns a handler panic into a logged 500.
func (a *API) withRecover(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				a.logger.Printf("api: %s %s: panic: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("api: write response: %v", err)
	}
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"status": "error", "error": err.Error()})
}

// parseRange reads start and end (milliseconds); end defaults to now and
// start to one hour before end.
func parseRange(r *http.Request) (mint, maxt int64, err error) {
	maxt = time.Now().UnixMilli()
	if s := r.URL.Query().Get("end"); s != "" {
		if maxt, err = strconv.ParseInt(s, 10, 64); err != nil {
			return 0, 0, errors.New("bad end")
		}
	}
	mint = maxt - time.Hour.Milliseconds()
	if s := r.URL.Query().Get("start"); s != "" {
		if mint, err = strconv.ParseInt(s, 10, 64); err != nil {
			return 0, 0, errors.New("bad start")
		}
	}
	if mint > maxt {
		return 0, 0, errors.New("start after end")
	}
	return mint, maxt, nil
}

func (a *API) handleQueryRange(w http.ResponseWriter, r *http.Request) {
	mint, maxt, err := parseRange(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	ms, err := model.ParseSelector(r.URL.Query().Get("query"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	step, _ := strconv.ParseInt(r.URL.Query().Get("step"), 10, 64)
	ctx, cancel := context.WithTimeout(r.Context(), a.queryTimeout)
	defer cancel()
	q := query.Query{MinTime: mint, MaxTime: maxt, Matchers: ms}
	var res []model.Series
	if step > 0 {
		res, err = a.db.Engine().Exec(ctx, q, step, query.Rate)
	} else {
		res, err = a.db.Engine().Select(ctx, q)
	}
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "success", "data": res})
}

func (a *API) handleSeries(w http.ResponseWriter, r *http.Request) {
	mint, maxt, err := parseRange(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	ms, err := model.ParseSelector(r.URL.Query().Get("match"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.queryTimeout)
	defer cancel()
	sets, err := a.db.Engine().Series(ctx, mint, maxt, ms)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "success", "data": sets})
}

func (a *API) handleLabelValues(w http.ResponseWriter, r *http.Request) {
	mint, maxt, err := parseRange(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	vals, err := a.db.Engine().LabelValues(r.Context(), r.PathValue("name"), mint, maxt)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "success", "data": vals})
}

type status struct {
	Uptime   string                   `json:"uptime"`
	Head     head.Stats               `json:"head"`
	Blocks   []query.BlockStat        `json:"blocks"`
	Latency  map[string]query.Summary `json:"latency"`
	Inflight int64                    `json:"inflight"`
}

// collectStatus gathers the status page; it verifies every block, which
// can take a while on a large database.
func (a *API) collectStatus() status {
	lat, inflight := a.db.Engine().Metrics().Snapshot()
	return status{
		Uptime:   time.Since(a.started).Round(time.Second).String(),
		Head:     a.db.Head().Stats(),
		Blocks:   a.db.Engine().BlockStats(),
		Latency:  lat,
		Inflight: inflight,
	}
}

func (a *API) handleStatus(w http.ResponseWriter, r *http.Request) {
	ch := make(chan status)
	go func() {
		ch <- a.collectStatus() // HAZ goroutine-blocked-send
	}()
	select {
	case st := <-ch:
		writeJSON(w, http.StatusOK, st)
	case <-r.Context().Done():
		return
	case <-time.After(5 * time.Second):
		writeError(w, http.StatusServiceUnavailable, errors.New("status timed out"))
	}
}

func (a *API) handleCheck(w http.ResponseWriter, r *http.Request) {
	type result struct {
		bad []string
		err error
	}
	done := make(chan result, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		bad, err := a.db.Engine().CheckBlocks(ctx)
		done <- result{bad, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			writeError(w, http.StatusServiceUnavailable, res.err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "success", "corrupt": res.bad})
	case <-r.Context().Done():
		a.logger.Printf("api: check: client went away; the check continues in the background")
	}
}
