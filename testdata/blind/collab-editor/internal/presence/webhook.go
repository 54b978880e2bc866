package presence

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Notifier posts join and leave events to external webhooks, signed with a
// shared secret.
type Notifier struct {
	client      *http.Client
	urls        []string
	secret      []byte
	minInterval time.Duration
	logf        func(format string, args ...any)

	sent   atomic.Int64
	failed atomic.Int64
}

// NewNotifier returns a notifier posting to urls.
func NewNotifier(urls []string, secret string, minInterval time.Duration) *Notifier {
	return &Notifier{
		client:      &http.Client{Timeout: 10 * time.Second},
		urls:        append([]string(nil), urls...),
		secret:      []byte(secret),
		minInterval: minInterval,
		logf:        log.Printf,
	}
}

// Counts returns how many posts succeeded and failed.
func (n *Notifier) Counts() (sent, failed int64) {
	return n.sent.Load(), n.failed.Load()
}

// sign returns the hex HMAC-SHA256 of body.
func (n *Notifier) sign(body []byte) string {
	mac := hmac.New(sha256.New, n.secret)
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// post sends one event to one URL.
func (n *Notifier) post(ctx context.Context, url string, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	resp, err := n.do(ctx, url, body)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("webhook %s: %s", url, resp.Status)
	}
	return nil
}

// do sends a signed JSON POST.
func (n *Notifier) do(ctx context.Context, url string, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Collab-Signature", n.sign(body))
	return n.client.Do(req)
}

// record counts the outcome of one post.
func (n *Notifier) record(url string, err error) {
	if err != nil {
		n.failed.Add(1)
		n.logf("presence: webhook %s: %v", url, err)
		return
	}
	n.sent.Add(1)
}

// NotifyAll posts ev to every webhook in the background.
func (n *Notifier) NotifyAll(ev Event) {
	started := 0
	for _, url := range n.urls {
		go func() { // HAZ loop-var-capture
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			n.record(url, n.post(ctx, url, ev))
		}()
		started++
	}
	n.logf("presence: %s %s -> %d webhooks", ev.Client, ev.DocID, started)
}

// NotifySync posts ev to every webhook and waits; it returns how many
// accepted it.
func (n *Notifier) NotifySync(ctx context.Context, ev Event) int {
	var (
		wg sync.WaitGroup
		ok atomic.Int64
	)
	for _, url := range n.urls {
		wg.Add(1)
		go func(url string) {
			if err := n.post(ctx, url, ev); err != nil {
				n.record(url, err)
				return
			}
			ok.Add(1)
			wg.Done() // HAZ waitgroup-done-path
		}(url)
	}
	wg.Wait()
	return int(ok.Load())
}

// NotifyEach posts ev to every webhook concurrently and waits for all.
func (n *Notifier) NotifyEach(ctx context.Context, ev Event) []error {
	errs := make([]error, len(n.urls))
	var wg sync.WaitGroup
	for i, url := range n.urls {
		wg.Add(1)
		go func(i int, url string) {
			defer wg.Done()
			errs[i] = n.post(ctx, url, ev)
		}(i, url)
	}
	wg.Wait()
	return errs
}

// Hook adapts the notifier to Tracker.OnEvent. Only joins and leaves are
// posted; a failing webhook must never break presence.
func (n *Notifier) Hook(ev Event) {
	defer func() {
		if r := recover(); r != nil {
			n.logf("presence: webhook hook panic: %v", r)
		}
	}()
	if !ev.Left && ev.Cursor != 0 {
		return
	}
	for _, url := range n.urls {
		go n.postWithTimeout(url, ev) // HAZ goroutine-outside-recover
	}
}

// postWithTimeout posts ev to url with a fixed timeout and records the result.
func (n *Notifier) postWithTimeout(url string, ev Event) {
	var err error
	defer n.record(url, err) // HAZ defer-eager-evaluation
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = n.post(ctx, url, ev)
}

// throttled posts ev but never more often than minInterval per caller, so a
// burst of joins cannot hammer the receiver.
func (n *Notifier) throttled(ctx context.Context, url string, ev Event) error {
	defer time.Sleep(n.minInterval) // HAZ defer-blocking-call
	if err := n.post(ctx, url, ev); err != nil {
		n.record(url, err)
		return err
	}
	n.record(url, nil)
	return nil
}

// Replay posts a backlog of events to one webhook in order, throttled.
func (n *Notifier) Replay(ctx context.Context, url string, backlog []Event) (int, error) {
	for i, ev := range backlog {
		if err := n.throttled(ctx, url, ev); err != nil {
			return i, err
		}
	}
	return len(backlog), nil
}

// Probe posts a test event to every webhook and reports, within three
// seconds, which of them answered and how.
func (n *Notifier) Probe(ctx context.Context) map[string]error {
	type probe struct {
		url string
		err error
	}
	results := make(chan probe, len(n.urls))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, url := range n.urls {
		go func(url string) {
			results <- probe{url: url, err: n.post(ctx, url, Event{Client: "probe", At: time.Now()})}
		}(url)
	}
	out := make(map[string]error, len(n.urls))
	deadline := time.After(3 * time.Second)
	for range n.urls {
		select {
		case p := <-results:
			out[p.url] = p.err
		case <-deadline:
			return out
		}
	}
	return out
}
