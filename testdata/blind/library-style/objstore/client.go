// Package objstore is a client for an S3-style object store: simple
// get/put, ranged downloads and concurrent multipart uploads.
package objstore

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// ErrUploadCompleted is returned when a part is added to a finished upload.
var ErrUploadCompleted = errors.New("objstore: upload already completed")

// Client talks to one bucket.
type Client struct {
	endpoint    string
	bucket      string
	http        *http.Client
	logger      *log.Logger
	partSize    int
	concurrency int
	retryPause  time.Duration
	inflight    atomic.Int64
	onAbort     map[string]func()
}

// NewClient returns a client for bucket at endpoint.
func NewClient(endpoint, bucket string, logger *log.Logger) *Client {
	if logger == nil {
		logger = log.Default()
	}
	return &Client{
		endpoint:    endpoint,
		bucket:      bucket,
		http:        &http.Client{},
		logger:      logger,
		partSize:    8 << 20,
		concurrency: 4,
		retryPause:  200 * time.Millisecond,
		onAbort:     make(map[string]func()),
	}
}

// APIError is an error document returned by the store.
type APIError struct {
	Status  int
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("objstore: %d %s: %s", e.Status, e.Code, e.Message)
}

func (c *Client) newRequest(ctx context.Context, method, key string, q url.Values, body io.Reader) (*http.Request, error) {
	u := c.endpoint + "/" + c.bucket + "/" + url.PathEscape(key)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return http.NewRequestWithContext(ctx, method, u, body)
}

// do sends req and converts non-2xx answers into *APIError.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		apiErr := &APIError{Status: resp.StatusCode}
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		_ = xml.Unmarshal(data, apiErr)
		return nil, apiErr
	}
	return resp, nil
}

// trackInflight counts a running request and returns the func that uncounts it.
func (c *Client) trackInflight() func() {
	c.inflight.Add(1)
	return func() { c.inflight.Add(-1) }
}

// Part is one uploaded part of a multipart upload.
type Part struct {
	Number int    `xml:"PartNumber"`
	ETag   string `xml:"ETag"`
	Size   int64  `xml:"-"`
}

// Upload is an in-progress multipart upload.
type Upload struct {
	c         *Client
	key       string
	id        string
	mu        sync.Mutex
	parts     []Part
	completed bool
	sent      atomic.Int64
	total     int64
}

// Progress is a snapshot of an upload's progress.
type Progress struct {
	Key   string
	Sent  int64
	Total int64
}

// Report logs the progress.
func (p Progress) Report(l *log.Logger) {
	pct := 0.0
	if p.Total > 0 {
		pct = 100 * float64(p.Sent) / float64(p.Total)
	}
	l.Printf("objstore: %s: %d/%d bytes (%.1f%%)", p.Key, p.Sent, p.Total, pct)
}

// Progress returns a snapshot of the upload progress.
func (u *Upload) Progress() Progress {
	return Progress{Key: u.key, Sent: u.sent.Load(), Total: u.total}
}

func (c *Client) initiate(ctx context.Context, key string, total int64) (*Upload, error) {
	req, err := c.newRequest(ctx, http.MethodPost, key, url.Values{"uploads": {""}}, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var doc struct {
		UploadID string `xml:"UploadId"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("objstore: initiate %s: %w", key, err)
	}
	return &Upload{c: c, key: key, id: doc.UploadID, total: total}, nil
}

// addPart records p; it fails once the upload is completed.
func (u *Upload) addPart(p Part) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.completed {
		return ErrUploadCompleted
	}
	u.parts = append(u.parts, p)
	return nil
}

func (u *Upload) uploadPart(ctx context.Context, n int, data []byte) (Part, error) {
	q := url.Values{"partNumber": {strconv.Itoa(n)}, "uploadId": {u.id}}
	req, err := u.c.newRequest(ctx, http.MethodPut, u.key, q, bytes.NewReader(data))
	if err != nil {
		return Part{}, err
	}
	resp, err := u.c.do(req)
	if err != nil {
		return Part{}, fmt.Errorf("objstore: part %d of %s: %w", n, u.key, err)
	}
	resp.Body.Close()
	u.sent.Add(int64(len(data)))
	return Part{Number: n, ETag: resp.Header.Get("ETag"), Size: int64(len(data))}, nil
}

func (u *Upload) completeRequest(ctx context.Context) (*http.Request, error) {
	u.mu.Lock()
	parts := append([]Part(nil), u.parts...)
	u.completed = true
	u.mu.Unlock()
	sort.Slice(parts, func(i, j int) bool { return parts[i].Number < parts[j].Number })
	var buf bytes.Buffer
	buf.WriteString("<CompleteMultipartUpload>")
	for _, p := range parts {
		fmt.Fprintf(&buf, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", p.Number, p.ETag)
	}
	buf.WriteString("</CompleteMultipartUpload>")
	return u.c.newRequest(ctx, http.MethodPost, u.key, url.Values{"uploadId": {u.id}}, &buf)
}

func (u *Upload) complete(ctx context.Context) error {
	req, err := u.completeRequest(ctx)
	if err != nil {
		return err
	}
	resp, err := u.c.do(req)
	if err != nil {
		return fmt.Errorf("objstore: complete %s: %w", u.key, err)
	}
	return resp.Body.Close()
}

// abort cancels the upload on the server.
func (u *Upload) abort(ctx context.Context) error {
	req, err := u.c.newRequest(ctx, http.MethodDelete, u.key, url.Values{"uploadId": {u.id}}, nil)
	if err != nil {
		return err
	}
	resp, err := u.c.do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func splitParts(data []byte, size int) [][]byte {
	var chunks [][]byte
	for len(data) > 0 {
		n := min(size, len(data))
		chunks = append(chunks, data[:n])
		data = data[n:]
	}
	return chunks
}
