package webhook

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"

	"example.com/k8scontrollers/pkg/api"
)

func newTestServer(opts Options) *Server {
	opts.Logger = log.New(io.Discard, "", 0)
	return NewServer(opts)
}

func reviewBody(t *testing.T, op string, w *api.Widget) *bytes.Reader {
	t.Helper()
	raw, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(AdmissionReview{Request: &AdmissionRequest{UID: "u1", Operation: op, Object: raw}})
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}

func TestValidateDeniesTooManyReplicas(t *testing.T) {
	s := newTestServer(Options{Validators: []Validator{ReplicaLimit{Max: 3}}})
	w := &api.Widget{ObjectMeta: api.ObjectMeta{Namespace: "a", Name: "b"}, Spec: api.WidgetSpec{Replicas: 5}}
	req := httptest.NewRequest(http.MethodPost, "/validate", reviewBody(t, "CREATE", w))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	var got AdmissionReview
	if err := json.NewDecoder(rec.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Response == nil || got.Response.Allowed {
		t.Fatalf("response = %+v, want denied", got.Response)
	}
}

func TestDecodeReviewRejectsContentType(t *testing.T) {
	s := newTestServer(Options{})
	req := httptest.NewRequest(http.MethodPost, "/validate", bytes.NewReader([]byte("{}")))
	req.Header.Set("Content-Type", "text/plain")
	if _, err := s.decodeReview(req); err == nil {
		t.Fatal("text/plain accepted")
	}
}

func TestDefaultsMutator(t *testing.T) {
	ops := Defaults{Replicas: 2, Image: "registry.example.com/widget:1"}.Mutate(&api.Widget{})
	if len(ops) != 2 {
		t.Fatalf("ops = %+v", ops)
	}
	if ops[0].Path != "/spec/replicas" || ops[1].Path != "/spec/image" {
		t.Fatalf("paths = %s, %s", ops[0].Path, ops[1].Path)
	}
}

func TestEscapeJSONPointer(t *testing.T) {
	if got := escapeJSONPointer("a/b~c"); got != "a~1b~0c" {
		t.Fatalf("got %q", got)
	}
}
