package fixture

import (
	"context"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

type usageReporter struct {
	client *http.Client
	url    string
}

// Bounded by whatever context the caller passes.
func (u *usageReporter) report(ctx context.Context, user string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.url, strings.NewReader(user))
	if err != nil {
		log.Print(err)
		return
	}
	resp, err := u.client.Do(req)
	if err != nil {
		log.Print(err)
		return
	}
	resp.Body.Close()
}

// The deferred literal gives the callee a context with a timeout: bounded, no finding.
func (u *usageReporter) HandleExport(w http.ResponseWriter, r *http.Request) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		u.report(ctx, r.FormValue("user"))
	}()
	w.WriteHeader(http.StatusNoContent)
}

// The same callee given a context without a deadline: the round trip holds the response.
func (u *usageReporter) HandleImport(w http.ResponseWriter, r *http.Request) {
	defer func() { // want `deferred func\(\) \{\.\.\.\}\(\) → usageReporter\.report → u\.client\.Do\(req\) \(line \d+\) waits for a network round trip`
		u.report(context.Background(), r.FormValue("user"))
	}()
	w.WriteHeader(http.StatusNoContent)
}

type attrs struct {
	mu       sync.Mutex
	password string
}

// Unlock around the callback, lock again on the way out: the caller's lock taken back on purpose.
func (a *attrs) callRefresh(refresh func() string) string {
	defer a.mu.Lock()
	a.mu.Unlock()
	return refresh()
}

// newRequest builds a request bound to ctx.
func (u *usageReporter) newRequest(ctx context.Context, user string) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, http.MethodPost, u.url, strings.NewReader(user))
}

// send does the round trip of a request built elsewhere.
func (u *usageReporter) send(req *http.Request) error {
	resp, err := u.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// abort builds the request from the context it is given.
func (u *usageReporter) abort(ctx context.Context, user string) error {
	req, err := u.newRequest(ctx, user)
	if err != nil {
		return err
	}
	return u.send(req)
}

// The deadline reaches the round trip through a helper that builds the request: no finding.
func (u *usageReporter) HandleAbort(w http.ResponseWriter, r *http.Request) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = u.abort(ctx, r.FormValue("user"))
	}()
	w.WriteHeader(http.StatusNoContent)
}
