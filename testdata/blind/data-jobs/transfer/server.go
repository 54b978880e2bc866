package transfer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/etl/archiver"
	"example.com/etl/fsutil"
	"example.com/etl/progress"
)

// Receiver accepts multipart uploads and stores them in Dir.
type Receiver struct {
	Dir      string
	MaxBytes int64
	Webhook  string
	Client   *http.Client
	Tracker  *progress.Tracker
}

type storedEvent struct {
	Name  string    `json:"name"`
	Bytes int64     `json:"bytes"`
	At    time.Time `json:"at"`
	Kind  string    `json:"kind"`
}

// ServeHTTP stores the "file" part of a multipart POST.
func (s *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if s.MaxBytes > 0 {
		r.Body = http.MaxBytesReader(w, r.Body, s.MaxBytes)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	name, n, err := s.store(mr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer s.notify(name, n) // HAZ defer-blocking-call
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, "%s %d\n", name, n)
}

func (s *Receiver) notify(name string, n int64) {
	if s.Webhook == "" {
		return
	}
	_ = s.post(storedEvent{Name: name, Bytes: n, At: time.Now(), Kind: "stored"})
}

func (s *Receiver) post(ev storedEvent) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	resp, err := s.Client.Post(s.Webhook, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

func (s *Receiver) notifyCtx(ctx context.Context, ev storedEvent) error {
	if s.Webhook == "" {
		return nil
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Webhook, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

func (s *Receiver) store(mr *multipart.Reader) (string, int64, error) {
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return "", 0, errors.New("no file part")
		}
		if err != nil {
			return "", 0, err
		}
		if part.FormName() != "file" {
			_ = part.Close()
			continue
		}
		name := filepath.Base(part.FileName())
		if name == "." || name == string(filepath.Separator) || strings.HasPrefix(name, ".") {
			return "", 0, fmt.Errorf("bad file name %q", part.FileName())
		}
		var src io.Reader = part
		if s.Tracker != nil {
			src = &progress.Reader{R: part, T: s.Tracker, StageID: "receive"}
		}
		n, err := fsutil.WriteAtomic(filepath.Join(s.Dir, name), 0o644, src)
		if err != nil {
			return "", 0, err
		}
		return name, n, nil
	}
}

// HandleDelete removes a stored file and tells the webhook, waiting at most two seconds for it.
func (s *Receiver) HandleDelete(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	if name == "." || strings.HasPrefix(name, ".") {
		http.Error(w, "bad name", http.StatusBadRequest)
		return
	}
	if err := os.Remove(filepath.Join(s.Dir, name)); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = s.notifyCtx(ctx, storedEvent{Name: name, At: time.Now(), Kind: "deleted"}) // ok: bounded by the timeout
	}()
	w.WriteHeader(http.StatusNoContent)
}

// ExtractHandler unpacks an uploaded .tar.gz into a scratch directory and returns its manifest.
type ExtractHandler struct {
	Scratch string
}

func (h *ExtractHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	dir, err := os.MkdirTemp(h.Scratch, "extract-*")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call
	if err := archiver.ExtractTarGzReader(r.Body, dir); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	m, err := fsutil.BuildManifest(dir)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = m.WriteTo(w)
}

// ChecksumHandler returns the SHA-256 of the request body.
type ChecksumHandler struct {
	Timeout time.Duration
}

type sumResult struct {
	sum string
	err error
}

func (h *ChecksumHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	done := make(chan sumResult)
	go func() { // HAZ goroutine-blocked-send
		sum, err := fsutil.ReaderSHA256(r.Body)
		done <- sumResult{sum, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, res.sum)
	case <-r.Context().Done():
		return
	case <-time.After(h.Timeout):
		http.Error(w, "timed out", http.StatusServiceUnavailable)
	}
}

// StatusHandler reports tracker progress as JSON.
type StatusHandler struct {
	Tracker *progress.Tracker
}

func (h *StatusHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	snapc := make(chan progress.Snapshot, 1)
	go func() { snapc <- h.Tracker.Snapshot() }() // ok: buffered
	select {
	case snap := <-snapc:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(snap)
	case <-ctx.Done():
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}
}
