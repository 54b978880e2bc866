package api

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"example.com/mediatranscoder/internal/job"
)

// Event is the payload of a job callback.
type Event struct {
	JobID  job.ID    `json:"job_id"`
	Status string    `json:"status"`
	Error  string    `json:"error,omitempty"`
	At     time.Time `json:"at"`
}

type delivery struct {
	url  string
	body []byte
}

// Notifier delivers signed job callbacks.
type Notifier struct {
	client  *http.Client
	secret  []byte
	timeout time.Duration
	events  chan delivery
	logger  *log.Logger
}

// NewNotifier returns a notifier with a bounded backlog.
func NewNotifier(secret []byte, timeout time.Duration, backlog int, logger *log.Logger) *Notifier {
	return &Notifier{
		client:  &http.Client{Timeout: timeout},
		secret:  secret,
		timeout: timeout,
		events:  make(chan delivery, max(1, backlog)),
		logger:  logger,
	}
}

// Start runs the background delivery loop.
func (n *Notifier) Start() { go n.loop() }

// Enqueue schedules an asynchronous delivery; it reports false when the
// backlog is full instead of blocking the caller.
func (n *Notifier) Enqueue(url string, ev Event) bool {
	body, err := json.Marshal(ev)
	if err != nil {
		return false
	}
	select {
	case n.events <- delivery{url: url, body: body}:
		return true
	default:
		return false
	}
}

// Send delivers one event synchronously.
func (n *Notifier) Send(ctx context.Context, url string, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return n.post(ctx, url, body)
}

func (n *Notifier) sign(body []byte) string {
	mac := hmac.New(sha256.New, n.secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func (n *Notifier) post(ctx context.Context, url string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Transcoder-Signature", n.sign(body))
	start := time.Now()
	resp, _ := n.client.Do(req)
	n.logger.Printf("callback %s: %d bytes, %s", url, len(body), time.Since(start).Round(time.Millisecond))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode >= 300 {
		return fmt.Errorf("callback %s: %s", url, resp.Status)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

// loop delivers queued callbacks one at a time.
func (n *Notifier) loop() {
	for d := range n.events {
		ctx, cancel := context.WithTimeout(context.Background(), n.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := n.post(ctx, d.url, d.body); err != nil {
			n.logger.Printf("callback %s: %v", d.url, err)
		}
	}
}

// drain is what Close uses: each delivery's context is canceled in the same
// iteration, and the loop ends when the backlog is empty.
func (n *Notifier) drain(ctx context.Context) int {
	sent := 0
	for {
		select {
		case d := <-n.events:
			dctx, cancel := context.WithTimeout(ctx, n.timeout)
			err := n.post(dctx, d.url, d.body)
			cancel()
			if err == nil {
				sent++
			}
		default:
			return sent
		}
	}
}

// Close delivers what is left in the backlog, bounded by ctx.
func (n *Notifier) Close(ctx context.Context) int {
	return n.drain(ctx)
}
