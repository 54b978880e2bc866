package httpx

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestRecoverAnswers500(t *testing.T) {
	h := Recover(log.New(io.Discard, "", 0), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("handler bug")
	}))
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/", nil))
	if rr.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d", rr.Code)
	}
}

func TestTimeoutSetsDeadline(t *testing.T) {
	var remaining time.Duration
	h := Timeout(time.Second, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dl, ok := r.Context().Deadline()
		if !ok {
			http.Error(w, "no deadline", http.StatusInternalServerError)
			return
		}
		remaining = time.Until(dl)
	}))
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/", nil))
	if rr.Code != http.StatusOK || remaining <= 0 || remaining > time.Second {
		t.Fatalf("status %d, remaining %s", rr.Code, remaining)
	}
}
