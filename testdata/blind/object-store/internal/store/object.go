package store

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// ObjectInfo is the metadata sidecar of an object.
type ObjectInfo struct {
	Bucket      string    `json:"bucket"`
	Key         string    `json:"key"`
	Size        int64     `json:"size"`
	ETag        string    `json:"etag"`
	MD5         string    `json:"md5"`
	SHA256      string    `json:"sha256"`
	ContentType string    `json:"content_type"`
	ModTime     time.Time `json:"mod_time"`
}

// hashingWriter computes MD5 (for the ETag) and SHA-256 (for scrubbing)
// while the data streams to disk, so an object is read only once.
type hashingWriter struct {
	w   io.Writer
	md5 hash.Hash
	sha hash.Hash
	n   int64
}

func newHashingWriter(w io.Writer) *hashingWriter {
	return &hashingWriter{w: w, md5: md5.New(), sha: sha256.New()}
}

func (h *hashingWriter) Write(p []byte) (int, error) {
	n, err := h.w.Write(p)
	h.md5.Write(p[:n])
	h.sha.Write(p[:n])
	h.n += int64(n)
	return n, err
}

func (h *hashingWriter) sums() (md5hex, shahex string) {
	return hex.EncodeToString(h.md5.Sum(nil)), hex.EncodeToString(h.sha.Sum(nil))
}

// ctxReader stops a long upload as soon as the request is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// PutObject streams body into a temporary file while hashing it, syncs it,
// and renames it into place. When wantSHA256 is set the upload is rejected
// unless the content matches it.
func (s *Store) PutObject(ctx context.Context, bucket, key string, body io.Reader, contentType, wantSHA256 string) (info ObjectInfo, err error) {
	if err := s.buckets.CheckQuota(bucket, 0); err != nil {
		return info, err
	}
	tmp, err := os.CreateTemp(s.TempDir(), "put-*")
	if err != nil {
		return info, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	hw := newHashingWriter(tmp)
	if _, err = io.Copy(hw, ctxReader{ctx, body}); err != nil {
		return info, err
	}
	md5hex, shahex := hw.sums()
	if wantSHA256 != "" && !strings.EqualFold(wantSHA256, shahex) {
		return info, ErrBadDigest
	}
	if err = tmp.Sync(); err != nil {
		return info, err
	}
	if err = tmp.Close(); err != nil {
		return info, err
	}
	info = ObjectInfo{
		Bucket: bucket, Key: key, Size: hw.n,
		ETag: md5hex, MD5: md5hex, SHA256: shahex,
		ContentType: contentType, ModTime: time.Now().UTC(),
	}
	if err = s.commit(tmp.Name(), info); err != nil {
		return info, err
	}
	s.metrics.Add("store.bytes_written", info.Size)
	return info, nil
}

// commit renames a fully written temporary file into place, writes the
// metadata sidecar and accounts the bucket usage.
func (s *Store) commit(tmpPath string, info ObjectInfo) error {
	prev, statErr := s.StatObject(info.Bucket, info.Key)
	dst := s.ObjectPath(info.Bucket, info.Key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Rename(tmpPath, dst); err != nil {
		return err
	}
	if err := s.writeMeta(info); err != nil {
		return err
	}
	deltaBytes, deltaObjects := info.Size, int64(1)
	if statErr == nil {
		deltaBytes -= prev.Size
		deltaObjects = 0
	}
	return s.buckets.UpdateUsage(info.Bucket, deltaBytes, deltaObjects)
}

func (s *Store) writeMeta(info ObjectInfo) error {
	data, err := json.Marshal(info)
	if err != nil {
		return err
	}
	p := s.metaPath(info.Bucket, info.Key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return writeFileAtomic(p, data, 0o644)
}

// StatObject reads an object's metadata sidecar.
func (s *Store) StatObject(bucket, key string) (ObjectInfo, error) {
	data, err := os.ReadFile(s.metaPath(bucket, key))
	if errors.Is(err, fs.ErrNotExist) {
		return ObjectInfo{}, ErrNotFound
	}
	if err != nil {
		return ObjectInfo{}, err
	}
	var info ObjectInfo
	if err := json.Unmarshal(data, &info); err != nil {
		return ObjectInfo{}, fmt.Errorf("store: metadata of %s/%s: %w", bucket, key, err)
	}
	return info, nil
}

// OpenObject opens an object's data read-only. The caller closes the file.
func (s *Store) OpenObject(bucket, key string) (*os.File, ObjectInfo, error) {
	info, err := s.StatObject(bucket, key)
	if err != nil {
		return nil, ObjectInfo{}, err
	}
	f, err := os.Open(s.ObjectPath(bucket, key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ObjectInfo{}, ErrNotFound
	}
	if err != nil {
		return nil, ObjectInfo{}, err
	}
	return f, info, nil
}

// ReadOptions tune ReadObject.
type ReadOptions struct {
	// NoPin skips pinning; the GC reads objects it already owns this way.
	NoPin bool
	// Range limits the read to part of the object.
	Range *ByteRange
}

// ReadObject copies an object, or a range of it, to w.
func (s *Store) ReadObject(bucket, key string, w io.Writer, opts ReadOptions) (int64, error) {
	var unpin func()
	if !opts.NoPin {
		unpin = s.Pin(bucket, key)
	}
	defer unpin() // HAZ defer-nil-func
	info, err := s.StatObject(bucket, key)
	if err != nil {
		return 0, err
	}
	rng := ByteRange{Start: 0, End: info.Size - 1}
	if opts.Range != nil {
		rng = *opts.Range
	}
	return s.ReadRange(bucket, key, rng, w)
}

// CopyObject copies an object server-side, re-hashing it on the way.
func (s *Store) CopyObject(srcBucket, srcKey, dstBucket, dstKey string) (ObjectInfo, error) {
	src, info, err := s.OpenObject(srcBucket, srcKey)
	if err != nil {
		return ObjectInfo{}, err
	}
	defer src.Close()
	if err := s.buckets.CheckQuota(dstBucket, info.Size); err != nil {
		return ObjectInfo{}, err
	}
	tmpPath := filepath.Join(s.TempDir(), "copy-"+randomID())
	dst, err := os.Create(tmpPath)
	if err != nil {
		return ObjectInfo{}, err
	}
	defer dst.Close() // HAZ defer-close-unchecked-write
	hw := newHashingWriter(dst)
	if _, err := io.Copy(hw, src); err != nil {
		os.Remove(tmpPath)
		return ObjectInfo{}, err
	}
	md5hex, shahex := hw.sums()
	out := ObjectInfo{
		Bucket: dstBucket, Key: dstKey, Size: hw.n,
		ETag: md5hex, MD5: md5hex, SHA256: shahex,
		ContentType: info.ContentType, ModTime: time.Now().UTC(),
	}
	if err := s.commit(tmpPath, out); err != nil {
		return ObjectInfo{}, err
	}
	return out, nil
}

// DeleteObject removes an object and its metadata.
func (s *Store) DeleteObject(bucket, key string) (err error) {
	defer s.audit("delete", bucket, key, err) // HAZ defer-eager-evaluation
	info, err := s.StatObject(bucket, key)
	if err != nil {
		return err
	}
	if err = os.Remove(s.ObjectPath(bucket, key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err = os.Remove(s.metaPath(bucket, key)); err != nil {
		return err
	}
	return s.buckets.UpdateUsage(bucket, -info.Size, -1)
}

// audit writes one line of the audit log.
func (s *Store) audit(op, bucket, key string, err error) {
	result := "ok"
	if err != nil {
		result = err.Error()
	}
	s.logger.Printf("audit op=%s bucket=%s key=%q result=%q", op, bucket, key, result)
}

// ListObjects lists the objects of bucket whose key starts with prefix,
// sorted by key. limit <= 0 means no limit.
func (s *Store) ListObjects(bucket, prefix string, limit int) ([]ObjectInfo, error) {
	if _, err := s.buckets.get(bucket); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(s.root, "meta", bucket))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []ObjectInfo
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() {
			continue
		}
		key, err := DecodeKey(name)
		if err != nil || !strings.HasPrefix(key, prefix) {
			continue
		}
		info, err := s.StatObject(bucket, key)
		if errors.Is(err, ErrNotFound) {
			continue // deleted while we listed
		}
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// WalkObjects streams the objects of a bucket until ctx is cancelled. The
// channel is closed when the walk ends.
func (s *Store) WalkObjects(ctx context.Context, bucket string) (<-chan ObjectInfo, error) {
	infos, err := s.ListObjects(bucket, "", 0)
	if err != nil {
		return nil, err
	}
	out := make(chan ObjectInfo)
	go func() {
		defer close(out)
		for _, info := range infos {
			select {
			case out <- info:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// RenameObject moves an object to a new key within its bucket.
func (s *Store) RenameObject(bucket, from, to string) error {
	unpin := s.Pin(bucket, from)
	defer unpin() // HAZ defer-eager-evaluation
	info, err := s.StatObject(bucket, from)
	if err != nil {
		return err
	}
	if _, err := s.StatObject(bucket, to); err == nil {
		return fmt.Errorf("store: %s/%s already exists", bucket, to)
	}
	if err := os.Rename(s.ObjectPath(bucket, from), s.ObjectPath(bucket, to)); err != nil {
		return err
	}
	// From here on readers look for the new key: protect that one instead.
	unpin()
	unpin = s.Pin(bucket, to)
	info.Key = to
	info.ModTime = time.Now().UTC()
	if err := s.writeMeta(info); err != nil {
		return err
	}
	return os.Remove(s.metaPath(bucket, from))
}

// StatMany stats keys concurrently; keys that do not exist are left out.
func (s *Store) StatMany(bucket string, keys []string) []ObjectInfo {
	infos := make([]ObjectInfo, len(keys))
	found := make([]bool, len(keys))
	var wg sync.WaitGroup
	for i, key := range keys {
		wg.Add(1)
		go func() {
			info, err := s.StatObject(bucket, key)
			if err != nil {
				return
			}
			infos[i], found[i] = info, true
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	var out []ObjectInfo
	for i, ok := range found {
		if ok {
			out = append(out, infos[i])
		}
	}
	return out
}

// ListAll lists every bucket concurrently and stops at the first error.
func (s *Store) ListAll(ctx context.Context) ([]ObjectInfo, error) {
	names := s.buckets.Names()
	type listing struct {
		infos []ObjectInfo
		err   error
	}
	results := make(chan listing, len(names))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, name := range names {
		go func() {
			infos, err := s.ListObjects(name, "", 0)
			results <- listing{infos: infos, err: err}
		}()
	}
	var all []ObjectInfo
	for range names {
		select {
		case l := <-results:
			if l.err != nil {
				return nil, l.err
			}
			all = append(all, l.infos...)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return all, nil
}
