package replication

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"example.com/objstore/internal/auth"
)

// ReplicaHeader marks requests made by a peer, so that the receiving node
// does not replicate them again.
const ReplicaHeader = "X-Objstore-Replica"

// statusError is a non-2xx answer from a peer.
type statusError struct {
	peer string
	code int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("peer %s answered %d %s", e.peer, e.code, http.StatusText(e.code))
}

// retryable reports whether a failed push is worth retrying.
func retryable(err error) bool {
	var se *statusError
	if errors.As(err, &se) {
		return se.code >= 500 || se.code == http.StatusTooManyRequests
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF)
}

// objectURL is the URL of an object on a peer.
func objectURL(p Peer, bucket, key string) string {
	parts := strings.Split(key, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.TrimSuffix(p.URL, "/") + "/" + url.PathEscape(bucket) + "/" + strings.Join(parts, "/")
}

func (r *Replicator) sign(req *http.Request) {
	req.Header.Set(ReplicaHeader, "1")
	auth.SignRequest(req, r.keyID, r.secret, time.Now())
}

// pushWithRetry pushes t to p, retrying transient failures with
// exponential backoff.
func (r *Replicator) pushWithRetry(ctx context.Context, p Peer, t Task) error {
	var lastErr error
	for attempt := 0; attempt <= r.maxRetries; attempt++ {
		if attempt > 0 {
			timer := time.NewTimer(r.backoff << (attempt - 1))
			select {
			case <-ctx.Done():
				timer.Stop()
				return ctx.Err()
			case <-timer.C:
			}
		}
		lastErr = r.pushOnce(ctx, p, t)
		if lastErr == nil {
			r.recordResult(p.Name, nil)
			return nil
		}
		if !retryable(lastErr) {
			break
		}
	}
	r.recordResult(p.Name, lastErr)
	return lastErr
}

// pushOnce streams the object to p with a single PUT.
func (r *Replicator) pushOnce(ctx context.Context, p Peer, t Task) error {
	body, info, err := r.src.OpenReader(t.Bucket, t.Key)
	if err != nil {
		return err
	}
	defer body.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, objectURL(p, t.Bucket, t.Key), body)
	if err != nil {
		return err
	}
	req.ContentLength = info.Size
	req.Header.Set("Content-Type", info.ContentType)
	req.Header.Set("X-Objstore-Sha256", info.SHA256)
	r.sign(req)
	resp, err := r.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return &statusError{peer: p.Name, code: resp.StatusCode}
	}
	return nil
}

// deleteOnce deletes the object on p; a 404 counts as success.
func (r *Replicator) deleteOnce(ctx context.Context, p Peer, t Task) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, objectURL(p, t.Bucket, t.Key), nil)
	if err != nil {
		return err
	}
	r.sign(req)
	resp, err := r.client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 && resp.StatusCode != http.StatusNotFound {
		return &statusError{peer: p.Name, code: resp.StatusCode}
	}
	return nil
}

// FetchObject copies a peer's copy of an object to w; the scrubber uses it
// to repair corrupt objects. Only the first healthy peer is asked, since a
// partial copy cannot be taken back from w.
func (r *Replicator) FetchObject(ctx context.Context, bucket, key string, w io.Writer) error {
	peers := r.healthyPeers()
	if len(peers) == 0 {
		return ErrNoHealthyPeer
	}
	return r.fetchRemote(ctx, peers[0], bucket, key, w)
}

// fetchRemote GETs one object from p.
func (r *Replicator) fetchRemote(ctx context.Context, p Peer, bucket, key string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, objectURL(p, bucket, key), nil)
	if err != nil {
		return err
	}
	r.sign(req)
	resp, err := r.client.Do(req)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if cerr := resp.Body.Close(); cerr != nil {
			return fmt.Errorf("replication: closing body from %s: %w", p.Name, cerr)
		}
		return nil
	}()
	if resp.StatusCode != http.StatusOK {
		return &statusError{peer: p.Name, code: resp.StatusCode}
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
