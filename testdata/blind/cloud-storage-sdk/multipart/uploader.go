package multipart

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"example.com/cloudstoragesdk/progress"
	"example.com/cloudstoragesdk/storage"
)

// Options tune an Uploader.
type Options struct {
	PartSize    int64
	Concurrency int
	BufferPool  *BufferPool
	OnComplete  func(key, uploadID string, parts int)
	Progress    chan<- progress.Event
}

// Uploader sends large objects in parts.
type Uploader struct {
	client *storage.Client
	opts   Options
}

// NewUploader returns an uploader for c.
func NewUploader(c *storage.Client, opts Options) *Uploader {
	return &Uploader{client: c, opts: opts}
}

func (u *Uploader) partSize() int64 {
	if u.opts.PartSize >= MinPartSize {
		return u.opts.PartSize
	}
	return MinPartSize
}

func (u *Uploader) concurrency() int {
	if u.opts.Concurrency > 0 {
		return u.opts.Concurrency
	}
	return 4
}

// initiate starts a multipart upload and returns its id.
func (u *Uploader) initiate(ctx context.Context, key string) (string, error) {
	resp, err := u.client.Do(ctx, http.MethodPost, key, url.Values{"uploads": {""}}, nil, nil)
	if err != nil {
		return "", fmt.Errorf("multipart: initiate %s: %w", key, err)
	}
	defer resp.Body.Close()
	var doc struct {
		UploadID string `json:"uploadId"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return "", err
	}
	return doc.UploadID, nil
}

// sendPart uploads one part and returns its ETag.
func (u *Uploader) sendPart(ctx context.Context, key, uploadID string, p Part, data []byte) (string, error) {
	q := url.Values{"partNumber": {strconv.Itoa(p.Number)}, "uploadId": {uploadID}}
	resp, err := u.client.Do(ctx, http.MethodPut, key, q, data, nil)
	if err != nil {
		return "", fmt.Errorf("multipart: %s: %w", p, err)
	}
	resp.Body.Close()
	return resp.Header.Get("ETag"), nil
}

// complete assembles the parts into the final object.
func (u *Uploader) complete(ctx context.Context, key, uploadID string, parts []Part) (string, error) {
	body, err := completeBody(parts)
	if err != nil {
		return "", err
	}
	resp, err := u.client.Do(ctx, http.MethodPost, key, url.Values{"uploadId": {uploadID}}, body, nil)
	if err != nil {
		return "", fmt.Errorf("multipart: complete %s: %w", key, err)
	}
	defer resp.Body.Close()
	return resp.Header.Get("ETag"), nil
}

// abort discards an unfinished upload.
func (u *Uploader) abort(ctx context.Context, key, uploadID string) error {
	resp, err := u.client.Do(ctx, http.MethodDelete, key, url.Values{"uploadId": {uploadID}}, nil, nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// abortDetached aborts with its own short deadline, independent of the
// caller's context, which may already be cancelled.
func (u *Uploader) abortDetached(key, uploadID string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := u.abort(ctx, key, uploadID); err != nil {
		log.Printf("multipart: abort %s (%s): %v", key, uploadID, err)
	}
}

// Upload sends size bytes of r as key and returns the final ETag. A failed
// upload is aborted so that its parts do not linger on the server.
func (u *Uploader) Upload(ctx context.Context, key string, r io.ReaderAt, size int64) (etag string, err error) {
	parts, err := SplitParts(size, u.partSize())
	if err != nil {
		return "", err
	}
	uploadID, err := u.initiate(ctx, key)
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			u.abortDetached(key, uploadID)
		}
	}()
	if err = u.uploadParts(ctx, key, uploadID, r, parts); err != nil {
		return "", err
	}
	if etag, err = u.complete(ctx, key, uploadID, parts); err != nil {
		return "", err
	}
	u.notifyComplete(key, uploadID, len(parts))
	return etag, nil
}

// uploadParts sends parts with at most concurrency requests in flight and
// waits for all of them; the first error cancels the rest.
func (u *Uploader) uploadParts(ctx context.Context, key, uploadID string, r io.ReaderAt, parts []Part) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	sem := make(chan struct{}, u.concurrency())
	for i := range parts {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			etag, err := u.copyPart(ctx, key, uploadID, r, parts[i])
			if err != nil {
				once.Do(func() { firstErr = err; cancel() })
				return
			}
			parts[i].ETag = etag
			progress.Send(u.opts.Progress, progress.Event{Key: key, Part: parts[i].Number, Bytes: parts[i].Size})
		}()
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return firstErr
}

// copyPart reads part p from r and sends it.
func (u *Uploader) copyPart(ctx context.Context, key, uploadID string, r io.ReaderAt, p Part) (string, error) {
	var buf []byte
	var release func()
	if u.opts.BufferPool != nil {
		buf, release = u.opts.BufferPool.Get()
	} else {
		buf = make([]byte, p.Size)
	}
	defer release() // HAZ defer-nil-func
	data, err := readPart(r, p, buf)
	if err != nil {
		return "", err
	}
	return u.sendPart(ctx, key, uploadID, p, data)
}

// copyPartPooled reads part p from r and sends it; release is a no-op
// unless a pool handed out the buffer.
func (u *Uploader) copyPartPooled(ctx context.Context, key, uploadID string, r io.ReaderAt, p Part) (string, error) {
	buf := []byte(nil)
	release := func() {}
	if u.opts.BufferPool != nil {
		buf, release = u.opts.BufferPool.Get()
	}
	defer release()
	if int64(len(buf)) < p.Size {
		buf = make([]byte, p.Size)
	}
	data, err := readPart(r, p, buf)
	if err != nil {
		return "", err
	}
	return u.sendPart(ctx, key, uploadID, p, data)
}

// readPart reads exactly p.Size bytes of r into buf.
func readPart(r io.ReaderAt, p Part, buf []byte) ([]byte, error) {
	if int64(cap(buf)) < p.Size {
		return nil, fmt.Errorf("multipart: buffer of %d bytes too small for %s", cap(buf), p)
	}
	data := buf[:p.Size]
	n, err := r.ReadAt(data, p.Offset)
	if int64(n) == p.Size {
		return data, nil
	}
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return nil, fmt.Errorf("multipart: read %s: %w", p, err)
}

// UploadParts sends parts concurrently and reports each finished part on
// events, which it closes when it returns.
func (u *Uploader) UploadParts(ctx context.Context, key, uploadID string, r io.ReaderAt, parts []Part, events chan<- progress.Event) error {
	defer close(events) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(parts))
	sem := make(chan struct{}, u.concurrency())
	for i := range parts {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			etag, err := u.copyPartPooled(ctx, key, uploadID, r, parts[i])
			if err == nil {
				parts[i].ETag = etag
			}
			events <- progress.Event{Key: key, Part: parts[i].Number, Bytes: parts[i].Size, Err: err}
			errc <- err
		}()
	}
	for range parts {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// UploadPartsReporting is UploadParts done right: every sender is joined
// before events is closed.
func (u *Uploader) UploadPartsReporting(ctx context.Context, key, uploadID string, r io.ReaderAt, parts []Part, events chan<- progress.Event) error {
	var wg sync.WaitGroup
	defer close(events)
	errs := make([]error, len(parts))
	sem := make(chan struct{}, u.concurrency())
	for i := range parts {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			etag, err := u.copyPartPooled(ctx, key, uploadID, r, parts[i])
			parts[i].ETag, errs[i] = etag, err
			events <- progress.Event{Key: key, Part: parts[i].Number, Bytes: parts[i].Size, Err: err}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// UploadStream uploads everything read from src, whose length is unknown.
// A panic during the upload is returned as an error.
func (u *Uploader) UploadStream(ctx context.Context, key string, src io.Reader) (etag string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("multipart: upload of %s panicked: %v", key, r)
		}
	}()
	uploadID, err := u.initiate(ctx, key)
	if err != nil {
		return "", err
	}
	var (
		parts    []Part
		etags    = make(map[int]string)
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
	)
	sem := make(chan struct{}, u.concurrency())
	for n := 1; ; n++ {
		buf := make([]byte, u.partSize())
		m, rerr := io.ReadFull(src, buf)
		if m > 0 {
			p := Part{Number: n, Size: int64(m)}
			parts = append(parts, p)
			sem <- struct{}{}
			wg.Add(1)
			go func(data []byte) { // HAZ goroutine-outside-recover
				defer wg.Done()
				defer func() { <-sem }()
				tag, err := u.sendPart(ctx, key, uploadID, p, data)
				mu.Lock()
				defer mu.Unlock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				etags[p.Number] = tag
			}(buf[:m])
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			wg.Wait()
			u.abortDetached(key, uploadID)
			return "", rerr
		}
	}
	wg.Wait()
	if firstErr != nil {
		u.abortDetached(key, uploadID)
		return "", firstErr
	}
	for i := range parts {
		parts[i].ETag = etags[parts[i].Number]
	}
	return u.complete(ctx, key, uploadID, parts)
}

// PartChecksums computes the MD5 of every part of r concurrently.
func PartChecksums(r io.ReaderAt, parts []Part) ([]string, error) {
	sums := make([]string, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			buf := make([]byte, p.Size)
			if _, err := r.ReadAt(buf, p.Offset); err != nil && err != io.EOF {
				errs[i] = err
				return
			}
			sum := md5.Sum(buf)
			sums[i] = hex.EncodeToString(sum[:])
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return sums, errors.Join(errs...)
}

// notifyComplete calls the user's completion callback.
func (u *Uploader) notifyComplete(key, uploadID string, n int) {
	if u.opts.OnComplete == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// the upload already succeeded; a broken callback must not fail it
		}
	}()
	u.opts.OnComplete(key, uploadID, n)
}

// completeSafely completes the upload and aborts it if completion panics.
func (u *Uploader) completeSafely(ctx context.Context, key, uploadID string, parts []Part) (etag string, err error) {
	defer func() {
		handle := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				u.abortDetached(key, uploadID)
				err = fmt.Errorf("multipart: complete panicked: %v", r)
			}
		}
		handle()
	}()
	return u.complete(ctx, key, uploadID, parts)
}

// recoverTo converts a panic into *errp; it must be deferred directly.
func recoverTo(errp *error, what string) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("multipart: %s panicked: %v", what, r)
	}
}

// Resume finishes an upload whose parts were sent by an earlier process.
func (u *Uploader) Resume(ctx context.Context, key, uploadID string, parts []Part) (etag string, err error) {
	defer recoverTo(&err, "resume of "+key)
	for _, p := range parts {
		if p.ETag == "" {
			return "", fmt.Errorf("multipart: cannot resume: %s was never sent", p)
		}
	}
	return u.completeSafely(ctx, key, uploadID, parts)
}
