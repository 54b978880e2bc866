package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/fah20/internal/web"
)

// renderReport loads a report from disk (through the cache) and renders it.
func (a *API) renderReport(ctx context.Context, id string) ([]byte, error) {
	return a.reports.GetOrLoad(ctx, id, func(ctx context.Context, key string) ([]byte, error) {
		f, err := os.Open(filepath.Join(a.dataDir, filepath.Base(key)+".json"))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil, err
		}
		buf := make([]byte, st.Size())
		if _, err := io.ReadFull(f, buf); err != nil {
			return nil, err
		}
		return buf, ctx.Err()
	})
}

func reportStatus(err error) int {
	if errors.Is(err, fs.ErrNotExist) {
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

func (a *API) getReport(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result)
	go func() {
		data, err := a.renderReport(ctx, r.PathValue("id"))
		done <- result{data, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-done:
		if res.err != nil {
			web.Error(w, reportStatus(res.err), "report unavailable")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(res.data)
	case <-ctx.Done():
		web.Error(w, http.StatusGatewayTimeout, "report timed out")
	}
}

// getReportSummary is the same race against the deadline, with a result
// channel that has room for the one send.
func (a *API) getReportSummary(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	type result struct {
		size int
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := a.renderReport(ctx, r.PathValue("id"))
		done <- result{len(data), err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			web.Error(w, reportStatus(res.err), "report unavailable")
			return
		}
		_ = web.WriteJSON(w, http.StatusOK, map[string]any{"id": r.PathValue("id"), "bytes": res.size})
	case <-ctx.Done():
		web.Error(w, http.StatusGatewayTimeout, fmt.Sprintf("summary timed out after %s", 2*time.Second))
	}
}

// uploadReport stores the request body as a report, writing it to a
// temporary file first.
func (a *API) uploadReport(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.PathValue("name"))
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	tmp, err := os.CreateTemp(a.dataDir, ".upload-*")
	if err != nil {
		web.Error(w, http.StatusInternalServerError, "cannot store upload")
		return
	}
	cleanup = func() { os.Remove(tmp.Name()) }
	if _, err := io.Copy(tmp, http.MaxBytesReader(w, r.Body, 32<<20)); err != nil {
		tmp.Close()
		web.Error(w, http.StatusBadRequest, "upload failed")
		return
	}
	if err := tmp.Close(); err != nil {
		web.Error(w, http.StatusInternalServerError, "cannot store upload")
		return
	}
	if err := os.Rename(tmp.Name(), filepath.Join(a.dataDir, name+".json")); err != nil {
		web.Error(w, http.StatusInternalServerError, "cannot store upload")
		return
	}
	a.reports.Invalidate(name)
	w.WriteHeader(http.StatusCreated)
}

// replaceReport is uploadReport with the cleanup looked up when the handler
// returns, so the temporary file is removed on every failure path.
func (a *API) replaceReport(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.PathValue("name"))
	cleanup := func() {}
	defer func() { cleanup() }()
	tmp, err := os.CreateTemp(a.dataDir, ".replace-*")
	if err != nil {
		web.Error(w, http.StatusInternalServerError, "cannot store upload")
		return
	}
	cleanup = func() { os.Remove(tmp.Name()) }
	if _, err := io.Copy(tmp, http.MaxBytesReader(w, r.Body, 32<<20)); err != nil {
		tmp.Close()
		web.Error(w, http.StatusBadRequest, "upload failed")
		return
	}
	if err := tmp.Close(); err != nil {
		web.Error(w, http.StatusInternalServerError, "cannot store upload")
		return
	}
	if err := os.Rename(tmp.Name(), filepath.Join(a.dataDir, name+".json")); err != nil {
		web.Error(w, http.StatusInternalServerError, "cannot store upload")
		return
	}
	cleanup = func() {}
	a.reports.Invalidate(name)
	w.WriteHeader(http.StatusNoContent)
}
