package objstore

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"example.com/backupsched/internal/archive"
)

// PutVerified uploads data and checks the ETag the store answers with against
// a checksum computed while the upload is in flight.
func (c *Client) PutVerified(ctx context.Context, key string, data []byte) error {
	sumc := make(chan string)
	go func() {
		sum := sha256.Sum256(data)
		sumc <- hex.EncodeToString(sum[:]) // HAZ goroutine-blocked-send
	}()
	etag, err := c.putETag(ctx, key, bytes.NewReader(data))
	if err != nil {
		return err
	}
	if want := <-sumc; etag != want {
		return fmt.Errorf("put %s: store has checksum %s, want %s", key, etag, want)
	}
	return nil
}

// PutAll uploads several small objects concurrently and returns the first
// error. Every sender has a slot in the buffered channel, so returning early
// strands no goroutine.
func (c *Client) PutAll(ctx context.Context, objs map[string][]byte) error {
	errc := make(chan error, len(objs))
	for key, data := range objs {
		go func() { errc <- c.Put(ctx, key, bytes.NewReader(data)) }()
	}
	for range objs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// UploadWithDeadline uploads the file at path, giving up after d.
func (c *Client) UploadWithDeadline(ctx context.Context, key, path string, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.UploadFile(ctx, key, path) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("upload %s: %w", key, ctx.Err())
	}
}

// StreamDir archives root straight into an upload, without a local copy.
func (c *Client) StreamDir(ctx context.Context, key, root string) error {
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		zw := gzip.NewWriter(pw)
		tw := tar.NewWriter(zw)
		_, err := archive.AddTree(tw, root)
		if err == nil {
			err = tw.Close()
		}
		if err == nil {
			err = zw.Close()
		}
		pw.CloseWithError(err)
		errc <- err
	}()
	putErr := c.Put(ctx, key, pr)
	pr.CloseWithError(putErr) // unblocks the writer if the upload stopped reading
	if err := <-errc; err != nil && putErr == nil {
		return err
	}
	return putErr
}

// ListMany lists several prefixes concurrently and returns all keys.
func (c *Client) ListMany(ctx context.Context, prefixes []string) ([]string, error) {
	results := make(chan []string, len(prefixes))
	defer close(results) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(prefixes))
	for _, p := range prefixes {
		go func() {
			keys, err := c.List(ctx, p)
			if err != nil {
				errc <- err
				return
			}
			results <- keys
		}()
	}
	var all []string
	for range prefixes {
		select {
		case keys := <-results:
			all = append(all, keys...)
		case err := <-errc:
			return nil, err
		}
	}
	return all, nil
}

// GetWithin downloads key, giving up after d. The downloader selects on the
// same context, so it never outlives the call.
func (c *Client) GetWithin(ctx context.Context, key string, d time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	type result struct {
		data []byte
		err  error
	}
	resc := make(chan result)
	go func() {
		data, err := c.Get(ctx, key)
		select {
		case resc <- result{data, err}:
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-resc:
		return r.data, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("get %s: %w", key, ctx.Err())
	}
}
