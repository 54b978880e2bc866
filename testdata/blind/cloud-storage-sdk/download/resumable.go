// Package download fetches objects with range requests, resuming
// interrupted transfers and verifying checksums.
package download

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net/http"
	"os"
	"sync"

	"example.com/cloudstoragesdk/progress"
	"example.com/cloudstoragesdk/storage"
)

// Downloader fetches objects from one client.
type Downloader struct {
	client      *storage.Client
	ChunkSize   int64
	Concurrency int
	Progress    chan<- progress.Event
}

// New returns a downloader with default settings.
func New(c *storage.Client) *Downloader {
	return &Downloader{client: c, ChunkSize: 8 << 20, Concurrency: 4}
}

func (d *Downloader) chunkSize() int64 {
	if d.ChunkSize > 0 {
		return d.ChunkSize
	}
	return 8 << 20
}

// fetchRange copies n bytes of key starting at off into w.
func (d *Downloader) fetchRange(ctx context.Context, key string, off, n int64, w io.Writer) (int64, error) {
	req, err := d.client.NewRequest(ctx, http.MethodGet, key, nil, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+n-1))
	resp, err := d.client.Send(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("download: range %d+%d of %s: %w", off, n, key, err)
	}
	if resp.StatusCode != http.StatusPartialContent {
		return 0, fmt.Errorf("download: server ignored range request for %s", key)
	}
	return io.Copy(w, io.LimitReader(resp.Body, n))
}

// copyRange copies n bytes of key starting at off into w through the
// client's range helper.
func (d *Downloader) copyRange(ctx context.Context, key string, off, n int64, w io.Writer) (int64, error) {
	body, err := d.client.GetRange(ctx, key, off, n)
	if err != nil {
		return 0, err
	}
	defer body.Close()
	return io.Copy(w, body)
}

type chunk struct{ off, n int64 }

func splitRanges(size, chunkSize int64) []chunk {
	var out []chunk
	for off := int64(0); off < size; off += chunkSize {
		n := chunkSize
		if off+n > size {
			n = size - off
		}
		out = append(out, chunk{off, n})
	}
	return out
}

// ParallelDownload fetches size bytes of key into dst with one range
// request per chunk.
func (d *Downloader) ParallelDownload(ctx context.Context, key, dst string, size int64) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	chunks := splitRanges(size, d.chunkSize())
	errc := make(chan error)
	for _, c := range chunks {
		go func() {
			_, err := d.fetchRange(ctx, key, c.off, c.n, io.NewOffsetWriter(f, c.off))
			errc <- err // HAZ goroutine-blocked-send
		}()
	}
	for range chunks {
		if err := <-errc; err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// DownloadChunks fetches size bytes of key into dst with at most
// Concurrency range requests in flight. The error channel has room for
// every sender, so returning early strands no goroutine.
func (d *Downloader) DownloadChunks(ctx context.Context, key, dst string, size int64) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := splitRanges(size, d.chunkSize())
	errc := make(chan error, len(chunks))
	sem := make(chan struct{}, max(d.Concurrency, 1))
	var wg sync.WaitGroup
	for _, c := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			_, err := d.copyRange(ctx, key, c.off, c.n, io.NewOffsetWriter(f, c.off))
			errc <- err
			progress.Send(d.Progress, progress.Event{Key: key, Bytes: c.n, Err: err})
		}()
	}
	var first error
	for range chunks {
		if err := <-errc; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	wg.Wait()
	return errors.Join(first, f.Close())
}

// transfer is one resumable download in progress.
type transfer struct {
	d         *Downloader
	key       string
	dst       string
	partial   string
	statePath string
	info      storage.ObjectInfo

	mu    sync.Mutex
	state State
}

// newTransfer prepares a transfer, reusing a matching checkpoint.
func (d *Downloader) newTransfer(key, dst string, info storage.ObjectInfo) (*transfer, error) {
	t := &transfer{d: d, key: key, dst: dst, partial: partialPathFor(dst), statePath: statePathFor(dst), info: info}
	st, err := LoadState(t.statePath)
	if err != nil {
		return nil, err
	}
	if st.Matches(info) {
		t.state = *st
	} else {
		t.state = State{Key: key, ETag: info.ETag, Size: info.Size}
		if err := os.Remove(t.partial); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return t, nil
}

// checkpoint returns a copy of the current state.
func (t *transfer) checkpoint() *State {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.state
	return &s
}

// advance records n more bytes written.
func (t *transfer) advance(n int64) {
	t.mu.Lock()
	t.state.Offset += n
	t.mu.Unlock()
	progress.Send(t.d.Progress, progress.Event{Key: t.key, Bytes: n})
}

// run appends the missing bytes to the partial file, checkpointing as it goes.
func (t *transfer) run(ctx context.Context) (err error) {
	defer t.checkpoint().Persist(t.statePath) // HAZ defer-call-chain
	f, err := os.OpenFile(t.partial, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	for off := t.checkpoint().Offset; off < t.info.Size; {
		n := min(t.d.chunkSize(), t.info.Size-off)
		written, err := t.d.copyRange(ctx, t.key, off, n, f)
		t.advance(written)
		if err != nil {
			return err
		}
		off += written
	}
	return f.Sync()
}

// runCheckpointed is run with the checkpoint taken when it returns.
func (t *transfer) runCheckpointed(ctx context.Context) (err error) {
	defer func() {
		if perr := t.checkpoint().Persist(t.statePath); perr != nil && err == nil {
			err = perr
		}
	}()
	f, err := os.OpenFile(t.partial, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	for off := t.checkpoint().Offset; off < t.info.Size; {
		n := min(t.d.chunkSize(), t.info.Size-off)
		written, err := t.d.copyRange(ctx, t.key, off, n, f)
		t.advance(written)
		if err != nil {
			return err
		}
		off += written
	}
	return f.Sync()
}

// resumeHash hashes the already downloaded prefix so the final checksum can
// be computed without reading the partial file twice.
func (t *transfer) resumeHash() (hash.Hash, int64, error) {
	h := sha256.New()
	off := t.checkpoint().Offset
	f, err := os.Open(t.partial)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	n, err := io.Copy(h, io.LimitReader(f, off))
	if err != nil {
		return nil, 0, err
	}
	if n < off {
		// The partial file was truncated behind our back; the backup
		// written at the last checkpoint is still whole.
		f, err = os.Open(t.partial + ".bak")
		if err != nil {
			return nil, 0, err
		}
		h.Reset()
		if n, err = io.Copy(h, io.LimitReader(f, off)); err != nil {
			return nil, 0, err
		}
	}
	return h, n, nil
}

// finalize verifies the partial file and moves it into place.
func (t *transfer) finalize() error {
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(t.statePath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("download: remove checkpoint: %w", err)
		}
		return nil
	}()
	if want, ok := ParseETag(t.info.ETag); ok && len(want) == 64 {
		if err := VerifyFile(t.partial, want); err != nil {
			return err
		}
	}
	return os.Rename(t.partial, t.dst)
}

// Download fetches key into dst, resuming from an earlier checkpoint.
func (d *Downloader) Download(ctx context.Context, key, dst string) error {
	info, err := d.client.HeadObject(ctx, key)
	if err != nil {
		return err
	}
	t, err := d.newTransfer(key, dst, info)
	if err != nil {
		return err
	}
	if err := t.runCheckpointed(ctx); err != nil {
		return err
	}
	return t.finalize()
}

// Resume continues a download using the streaming hash of the partial file.
func (d *Downloader) Resume(ctx context.Context, key, dst string) (string, error) {
	info, err := d.client.HeadObject(ctx, key)
	if err != nil {
		return "", err
	}
	t, err := d.newTransfer(key, dst, info)
	if err != nil {
		return "", err
	}
	h, _, err := t.resumeHash()
	if err != nil {
		return "", err
	}
	if err := t.run(ctx); err != nil {
		return "", err
	}
	hw := newHashingWriter(io.Discard)
	hw.h = h
	if err := t.finalize(); err != nil {
		return "", err
	}
	return hw.Sum(), nil
}
