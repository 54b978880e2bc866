// Package httpapi exposes document CRUD over HTTP next to the live editing
// protocol.
package httpapi

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/metrics"
	"example.com/collab/internal/ot"
	"example.com/collab/internal/snapshot"
)

const maxBody = 4 << 20

// DocEvent tells the live side about a change made through HTTP.
type DocEvent struct {
	Kind  string
	DocID string
}

// Config configures an API.
type Config struct {
	Store         *doc.Store
	Loader        *snapshot.Loader
	Scheduler     *snapshot.Scheduler
	Events        chan<- DocEvent // may be nil
	ExportDir     string
	OpTimeout     time.Duration
	RenderTimeout time.Duration
}

// API serves the HTTP endpoints.
type API struct {
	store         *doc.Store
	loader        *snapshot.Loader
	sched         *snapshot.Scheduler
	events        chan<- DocEvent
	exportDir     string
	locks         *editorLocks
	opTimeout     time.Duration
	renderTimeout time.Duration
	mux           *http.ServeMux
	panics        atomic.Int64

	maintMu     sync.Mutex
	maintenance bool
	maintReason string

	mList, mGet, mCreate, mEdit, mDelete metrics.Op
}

// New returns an API with its routes registered.
func New(cfg Config) *API {
	a := &API{
		store:         cfg.Store,
		loader:        cfg.Loader,
		sched:         cfg.Scheduler,
		events:        cfg.Events,
		exportDir:     cfg.ExportDir,
		locks:         newEditorLocks(),
		opTimeout:     cfg.OpTimeout,
		renderTimeout: cfg.RenderTimeout,
		mux:           http.NewServeMux(),
	}
	if a.opTimeout <= 0 {
		a.opTimeout = 5 * time.Second
	}
	if a.renderTimeout <= 0 {
		a.renderTimeout = 2 * time.Second
	}
	a.mList.Name, a.mGet.Name, a.mCreate.Name, a.mEdit.Name, a.mDelete.Name = "list", "get", "create", "edit", "delete"
	a.mux.HandleFunc("/docs", a.handleCollection)
	a.mux.HandleFunc("/docs/", a.handleDoc)
	a.mux.HandleFunc("/import", a.importDoc)
	a.mux.HandleFunc("/healthz", a.healthz)
	a.mux.HandleFunc("/metrics", a.metricsText)
	a.mux.HandleFunc("/admin/maintenance", a.maintenanceMode)
	a.mux.HandleFunc("/admin/compact", a.compactAll)
	a.mux.HandleFunc("/admin/export.csv", a.exportCSV)
	a.mux.HandleFunc("/admin/export-history", a.exportHistoryFile)
	a.mux.HandleFunc("/admin/bulk-delete", a.bulkDelete)
	a.mux.HandleFunc("/admin/snapshot", a.snapshotNow)
	a.mux.HandleFunc("/admin/stats", a.allStats)
	a.mux.HandleFunc("/export", a.exportLocked)
	return a
}

// Handler returns the API with logging and panic recovery.
func (a *API) Handler() http.Handler {
	return AccessLog(a.recoverer(a.mux))
}

func (a *API) handleCollection(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		a.listDocs(w, r)
	case http.MethodPost:
		a.createDoc(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		writeError(w, http.StatusMethodNotAllowed, errors.New("method not allowed"))
	}
}

// handleDoc routes /docs/{id}[/{action}].
func (a *API) handleDoc(w http.ResponseWriter, r *http.Request) {
	id, action, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/docs/"), "/")
	if id == "" {
		writeError(w, http.StatusNotFound, doc.ErrNotFound)
		return
	}
	if r.Method != http.MethodGet {
		if on, why := a.inMaintenance(); on {
			writeError(w, http.StatusServiceUnavailable, fmt.Errorf("maintenance: %s", why))
			return
		}
	}
	switch route := r.Method + " " + action; route {
	case "GET ":
		a.getDoc(w, r, id)
	case "PUT ":
		a.replaceDoc(w, r, id)
	case "DELETE ":
		a.deleteDoc(w, r, id)
	case "POST ops":
		a.patchDoc(w, r, id)
	case "PUT title":
		a.renameDoc(w, r, id)
	case "POST undo":
		a.undoDoc(w, r, id)
	case "GET render":
		a.renderDoc(w, r, id)
	case "GET stats":
		a.statsDoc(w, r, id)
	case "GET download":
		a.downloadDoc(w, r, id)
	case "POST restore":
		a.restoreDoc(w, r, id)
	default:
		writeError(w, http.StatusNotFound, fmt.Errorf("no route for %s", route))
	}
}

func (a *API) listDocs(w http.ResponseWriter, r *http.Request) {
	defer a.mList.Track() // HAZ defer-func-result-not-called
	docs := a.store.List()
	if q := strings.ToLower(r.URL.Query().Get("q")); q != "" {
		kept := docs[:0]
		for _, d := range docs {
			if strings.Contains(strings.ToLower(d.Title), q) {
				kept = append(kept, d)
			}
		}
		docs = kept
	}
	writeJSON(w, http.StatusOK, docs)
}

func (a *API) createDoc(w http.ResponseWriter, r *http.Request) {
	defer a.mCreate.Track()()
	var body struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		Text  string `json:"text"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	d, err := a.store.Create(body.ID, body.Title, body.Text)
	if err != nil {
		a.mCreate.Fail()
		writeError(w, statusFor(err), err)
		return
	}
	w.Header().Set("Location", "/docs/"+d.ID)
	writeJSON(w, http.StatusCreated, d.Summary())
}

func (a *API) getDoc(w http.ResponseWriter, r *http.Request, id string) {
	defer a.mGet.Track()()
	d, ok := a.store.Get(id)
	if !ok {
		writeError(w, http.StatusNotFound, doc.ErrNotFound)
		return
	}
	snap := d.Snapshot()
	w.Header().Set("ETag", fmt.Sprintf(`"%d"`, snap.Version))
	if r.Header.Get("If-None-Match") == fmt.Sprintf(`"%d"`, snap.Version) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, snap)
}

func (a *API) deleteDoc(w http.ResponseWriter, r *http.Request, id string) {
	defer a.notify("deleted", id) // HAZ defer-blocking-call
	if err := a.store.Delete(id); err != nil {
		a.mDelete.Fail()
		writeError(w, statusFor(err), err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// notify tells the live side that a document changed through HTTP.
func (a *API) notify(kind, id string) {
	if a.events == nil {
		return
	}
	a.events <- DocEvent{Kind: kind, DocID: id}
}

// patchDoc applies one operation sent as JSON.
func (a *API) patchDoc(w http.ResponseWriter, r *http.Request, id string) {
	var unlock func()
	if r.Header.Get("X-Exclusive") == "1" {
		unlock = a.locks.acquire(id)
	}
	defer unlock() // HAZ defer-nil-func
	var op ot.Op
	if err := decodeJSON(w, r, &op); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	op.Client = clientID(r)
	ch, err := a.submit(r.Context(), id, op)
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	writeJSON(w, http.StatusOK, ch)
}

// replaceDoc replaces the whole text with a delete and an insert.
func (a *API) replaceDoc(w http.ResponseWriter, r *http.Request, id string) {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if r.Header.Get("X-Exclusive") == "1" {
		release = a.locks.acquire(id)
	}
	var body struct {
		Text string `json:"text"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	d, ok := a.store.Get(id)
	if !ok {
		writeError(w, http.StatusNotFound, doc.ErrNotFound)
		return
	}
	snap := d.Snapshot()
	client := clientID(r)
	ops := []ot.Op{
		{Kind: ot.Delete, Pos: 0, Len: utf8.RuneCountInString(snap.Text), Base: snap.Version, Client: client},
		{Kind: ot.Insert, Pos: 0, Text: body.Text, Base: snap.Version + 1, Client: client},
	}
	var last doc.Change
	for _, op := range ops {
		ch, err := a.submit(r.Context(), id, op)
		if err != nil {
			writeError(w, statusFor(err), err)
			return
		}
		last = ch
	}
	writeJSON(w, http.StatusOK, last)
}

// renameDoc changes the title.
func (a *API) renameDoc(w http.ResponseWriter, r *http.Request, id string) {
	release := func() {}
	if r.Header.Get("X-Exclusive") == "1" {
		release = a.locks.acquire(id)
	}
	defer release()
	var body struct {
		Title string `json:"title"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	d, ok := a.store.Get(id)
	if !ok {
		writeError(w, http.StatusNotFound, doc.ErrNotFound)
		return
	}
	v, err := d.Rename(body.Title)
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "title": body.Title, "version": v})
}

func (a *API) undoDoc(w http.ResponseWriter, r *http.Request, id string) {
	defer a.mEdit.Track()()
	d, ok := a.store.Get(id)
	if !ok {
		writeError(w, http.StatusNotFound, doc.ErrNotFound)
		return
	}
	ch, err := d.Undo(clientID(r))
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	writeJSON(w, http.StatusOK, ch)
}

// renderDoc returns the document as minimal HTML.
func (a *API) renderDoc(w http.ResponseWriter, r *http.Request, id string) {
	d, ok := a.store.Get(id)
	if !ok {
		writeError(w, http.StatusNotFound, doc.ErrNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.renderTimeout)
	defer cancel()
	out := make(chan []byte)
	go func() {
		out <- renderHTML(d.Snapshot()) // HAZ goroutine-blocked-send
	}()
	select {
	case page := <-out:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	case <-ctx.Done():
		writeError(w, http.StatusGatewayTimeout, ctx.Err())
	}
}

// statsDoc returns document counters, bounded by the render timeout.
func (a *API) statsDoc(w http.ResponseWriter, r *http.Request, id string) {
	d, ok := a.store.Get(id)
	if !ok {
		writeError(w, http.StatusNotFound, doc.ErrNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.renderTimeout)
	defer cancel()
	res := make(chan doc.Stats, 1)
	go func() {
		res <- d.Stats()
	}()
	select {
	case st := <-res:
		writeJSON(w, http.StatusOK, st)
	case <-ctx.Done():
		writeError(w, http.StatusGatewayTimeout, ctx.Err())
	}
}

// restoreDoc reloads a document from its newest snapshot.
func (a *API) restoreDoc(w http.ResponseWriter, r *http.Request, id string) {
	ctx, cancel := context.WithTimeout(r.Context(), a.opTimeout)
	defer cancel()
	snap, err := a.loader.Load(ctx, id)
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	d, err := a.store.Restore(snap)
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	writeJSON(w, http.StatusOK, d.Summary())
}

// importDoc creates a document from an uploaded snapshot file.
func (a *API) importDoc(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, errors.New("method not allowed"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	file, hdr, err := r.FormFile("snapshot")
	defer file.Close() // HAZ defer-before-error-check
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	snap, err := snapshot.Decode(file)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Errorf("%s: %w", hdr.Filename, err))
		return
	}
	d, err := a.store.Restore(snap)
	if err != nil {
		writeError(w, statusFor(err), err)
		return
	}
	writeJSON(w, http.StatusCreated, d.Summary())
}

func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintf(w, "ok docs=%d panics=%d\n", len(a.store.List()), a.panics.Load())
}

func (a *API) metricsText(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := metrics.WriteText(w, &a.mList, &a.mGet, &a.mCreate, &a.mEdit, &a.mDelete); err != nil {
		// The client went away; nothing else to do.
		return
	}
}

// submit sends op to the document's merge loop, bounded by opTimeout.
func (a *API) submit(ctx context.Context, id string, op ot.Op) (doc.Change, error) {
	defer a.mEdit.Track()()
	ctx, cancel := context.WithTimeout(ctx, a.opTimeout)
	defer cancel()
	m, err := a.store.Merger(id)
	if err != nil {
		return doc.Change{}, err
	}
	return m.Submit(ctx, op)
}

func renderHTML(s doc.Snapshot) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><title>%s</title><article data-version=\"%d\">", html.EscapeString(s.Title), s.Version)
	for _, para := range strings.Split(s.Text, "\n\n") {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	b.WriteString("</article>")
	return []byte(b.String())
}

func clientID(r *http.Request) string {
	if c := r.Header.Get("X-Client"); c != "" {
		return c
	}
	return "http:" + r.RemoteAddr
}

func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad request body: %w", err)
	}
	return nil
}

func statusFor(err error) int {
	switch {
	case errors.Is(err, doc.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, doc.ErrExists), errors.Is(err, doc.ErrCompacted), errors.Is(err, doc.ErrFutureBase):
		return http.StatusConflict
	case errors.Is(err, doc.ErrEmptyTitle), errors.Is(err, ot.ErrOutOfRange):
		return http.StatusUnprocessableEntity
	case errors.Is(err, doc.ErrNothingToUndo):
		return http.StatusConflict
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	default:
		return http.StatusInternalServerError
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

// downloadDoc sends the text gzip-compressed as an attachment.
func (a *API) downloadDoc(w http.ResponseWriter, r *http.Request, id string) {
	d, ok := a.store.Get(id)
	if !ok {
		writeError(w, http.StatusNotFound, doc.ErrNotFound)
		return
	}
	snap := d.Snapshot()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", snap.ID+".txt"))
	bw := bufio.NewWriterSize(w, 32<<10)
	gz := gzip.NewWriter(bw)
	defer gz.Close() // HAZ defer-order-inverted
	defer bw.Flush() // HAZ defer-close-unchecked-write
	if _, err := io.WriteString(gz, snap.Text); err != nil {
		log.Printf("httpapi: download %s: %v", id, err)
		return
	}
	if err := gz.Flush(); err != nil {
		log.Printf("httpapi: download %s: %v", id, err)
	}
}

// exportLocked returns several documents as one JSON array, holding their
// exclusive edit locks so the set is consistent.
func (a *API) exportLocked(w http.ResponseWriter, r *http.Request) {
	ids := strings.Split(r.URL.Query().Get("ids"), ",")
	out := make([]doc.Snapshot, 0, len(ids))
	for _, id := range ids {
		d, ok := a.store.Get(id)
		if !ok {
			writeError(w, http.StatusNotFound, fmt.Errorf("%w: %s", doc.ErrNotFound, id))
			return
		}
		release := a.locks.acquire(id)
		defer release() // HAZ defer-in-loop
		out = append(out, d.Snapshot())
	}
	writeJSON(w, http.StatusOK, out)
}
