package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"example.com/mediatranscoder/internal/encoder"
	"example.com/mediatranscoder/internal/job"
	"example.com/mediatranscoder/internal/progress"
	"example.com/mediatranscoder/internal/storage"
)

var testRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "api-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type stubProber struct {
	delay time.Duration
}

func (p stubProber) Probe(ctx context.Context, path string) (*encoder.ProbeResult, error) {
	select {
	case <-time.After(p.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	res := &encoder.ProbeResult{}
	res.Format.Filename = path
	res.Format.Duration = "12.5"
	return res, nil
}

type stubCanceler struct{}

func (stubCanceler) Cancel(id job.ID) error { return job.ErrNotQueued }

func newTestServer(t *testing.T) *Server {
	t.Helper()
	root, err := os.MkdirTemp(testRoot, "srv-")
	if err != nil {
		t.Fatal(err)
	}
	files, err := storage.NewLocalStore(root)
	if err != nil {
		t.Fatal(err)
	}
	logger := log.New(io.Discard, "", 0)
	return NewServer(Config{
		Queue:        job.NewQueue(),
		Store:        job.NewStore(),
		Tracker:      progress.NewTracker(),
		Files:        files,
		Prober:       stubProber{delay: time.Millisecond},
		Canceler:     stubCanceler{},
		Notifier:     NewNotifier([]byte("k"), time.Second, 4, logger),
		UploadDir:    root,
		MaxUpload:    1 << 20,
		MaxUploads:   2,
		MaxPerClient: 4,
		ProbeTimeout: time.Second,
		Logger:       logger,
	})
}

func TestSubmitRejectsMissingSource(t *testing.T) {
	srv := newTestServer(t)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/v1/jobs", strings.NewReader(`{"renditions":[]}`))
	srv.Routes().ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
}

func TestSubmitQueuesJob(t *testing.T) {
	srv := newTestServer(t)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/v1/jobs", strings.NewReader(`{"source":"/media/in.mov"}`))
	srv.Routes().ServeHTTP(rec, req)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
	var resp submitResponse
	if err := json.NewDecoder(rec.Body).Decode(&resp); err != nil {
		t.Fatal(err)
	}
	if resp.Queue != 1 {
		t.Fatalf("queue depth %d", resp.Queue)
	}
}

func TestUploadStoresParts(t *testing.T) {
	srv := newTestServer(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "clip.mov")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write([]byte("not really a movie")); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/v1/uploads", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	srv.Routes().ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
}

func TestDownloadMissingIs404(t *testing.T) {
	srv := newTestServer(t)
	rec := httptest.NewRecorder()
	srv.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/outputs/nope/720p.mp4", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status %d", rec.Code)
	}
}

func TestProbeBoundedTimesOut(t *testing.T) {
	srv := newTestServer(t)
	srv.prober = stubProber{delay: time.Minute}
	srv.probeTimeout = 20 * time.Millisecond
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/v2/probe", strings.NewReader(`{"key":"uploads/x.mov"}`))
	srv.Routes().ServeHTTP(rec, req)
	if rec.Code != http.StatusGatewayTimeout {
		t.Fatalf("status %d", rec.Code)
	}
}

func TestSanitizeName(t *testing.T) {
	if got := sanitizeName("my clip (final).mov"); got != "my_clip__final_.mov" {
		t.Fatalf("got %q", got)
	}
}
