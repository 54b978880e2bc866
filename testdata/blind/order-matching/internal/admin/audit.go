package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"
)

// Entry is one audited administrative action.
type Entry struct {
	At     time.Time `json:"at"`
	Op     string    `json:"op"`
	Actor  string    `json:"actor"`
	Detail string    `json:"detail,omitempty"`
}

// Auditor records administrative actions locally and forwards them to the
// compliance audit service.
type Auditor struct {
	url    string
	logger *log.Logger

	mu    sync.Mutex
	local []Entry
}

// NewAuditor returns an auditor posting to url ("" disables forwarding).
func NewAuditor(url string, logger *log.Logger) *Auditor {
	return &Auditor{url: url, logger: logger}
}

func (a *Auditor) keep(e Entry) {
	a.mu.Lock()
	a.local = append(a.local, e)
	a.mu.Unlock()
}

// Record stores e and posts it to the audit service.
func (a *Auditor) Record(e Entry) error {
	a.keep(e)
	if a.url == "" {
		return nil
	}
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	resp, err := http.Post(a.url, "application/json", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("audit: post: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("audit: post: status %s", resp.Status)
	}
	return nil
}

// RecordWithin is Record bounded by timeout.
func (a *Auditor) RecordWithin(e Entry, timeout time.Duration) error {
	a.keep(e)
	return a.ForwardWithin(e, timeout)
}

// ForwardWithin posts e to the audit service without keeping a local copy,
// giving up after timeout.
func (a *Auditor) ForwardWithin(e Entry, timeout time.Duration) error {
	if a.url == "" {
		return nil
	}
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("audit: post: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("audit: post: status %s", resp.Status)
	}
	return nil
}

// Local returns a copy of the locally kept entries.
func (a *Auditor) Local() []Entry {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Entry(nil), a.local...)
}
