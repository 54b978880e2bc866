// Package httpapi is the agent's small admin HTTP API.
package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// AuditEvent describes one admin request.
type AuditEvent struct {
	Path   string    `json:"path"`
	User   string    `json:"user"`
	Status int       `json:"status"`
	At     time.Time `json:"at"`
}

// Auditor records admin requests.
type Auditor interface {
	Record(ev AuditEvent)
}

// webhookAuditor posts every event to an audit endpoint.
type webhookAuditor struct {
	url    string
	client *http.Client
}

// NewWebhookAuditor returns an auditor posting JSON events to url.
func NewWebhookAuditor(url string) Auditor {
	return &webhookAuditor{url: url, client: &http.Client{}}
}

func (a *webhookAuditor) Record(ev AuditEvent) {
	body, err := json.Marshal(ev)
	if err != nil {
		log.Printf("audit: %v", err)
		return
	}
	resp, err := a.client.Post(a.url, "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("audit: %v", err)
		return
	}
	resp.Body.Close()
}

// LogAuditor writes events to the standard logger.
type LogAuditor struct{}

// Record logs ev.
func (LogAuditor) Record(ev AuditEvent) {
	log.Printf("audit: %s %s -> %d", ev.User, ev.Path, ev.Status)
}

// eventSink publishes registry changes to in-process subscribers.
type eventSink interface {
	Publish(kind, name string)
}

// chanSink drops events rather than wait for a slow subscriber.
type chanSink struct {
	ch      chan string
	dropped atomic.Int64
}

func newChanSink(depth int) *chanSink {
	return &chanSink{ch: make(chan string, depth)}
}

func (c *chanSink) Publish(kind, name string) {
	select {
	case c.ch <- kind + " " + name:
	default:
		c.dropped.Add(1)
	}
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Reachable reports whether the audit host accepts TCP connections.
func (a *webhookAuditor) Reachable(timeout time.Duration) error {
	u, err := url.Parse(a.url)
	if err != nil {
		return err
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	conn, err := net.DialTimeout("tcp", host, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("audit host %s: %w", host, err)
	}
	return nil
}

// Healthy checks the audit endpoint over HTTP, with the error checked before the body is touched.
func (a *webhookAuditor) Healthy() error {
	resp, err := a.client.Head(a.url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= http.StatusInternalServerError {
		return errors.New("audit endpoint: " + resp.Status)
	}
	return nil
}
