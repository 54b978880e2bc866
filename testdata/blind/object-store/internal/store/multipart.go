package store

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Multipart errors.
var (
	ErrNoSuchUpload = errors.New("store: no such upload")
	ErrInvalidPart  = errors.New("store: invalid part")
)

// Upload is an in-progress multipart upload.
type Upload struct {
	ID      string
	Bucket  string
	Key     string
	Created time.Time

	dir   string
	mu    sync.Mutex
	parts map[int]PartInfo
}

// PartInfo describes one uploaded part.
type PartInfo struct {
	Number int    `json:"number"`
	ETag   string `json:"etag"`
	Size   int64  `json:"size"`
	path   string
}

// CompletedPart is one entry of a CompleteMultipartUpload request.
type CompletedPart struct {
	Number int    `json:"number"`
	ETag   string `json:"etag"`
}

// CreateUpload starts a multipart upload.
func (s *Store) CreateUpload(bucket, key string) (*Upload, error) {
	if _, err := s.buckets.Meta(bucket); err != nil {
		return nil, err
	}
	id := randomID()
	dir := filepath.Join(s.UploadsDir(), id)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, err
	}
	u := &Upload{
		ID: id, Bucket: bucket, Key: key, Created: time.Now().UTC(),
		dir: dir, parts: make(map[int]PartInfo),
	}
	s.upMu.Lock()
	s.uploads[id] = u
	s.upMu.Unlock()
	return u, nil
}

func (s *Store) upload(id string) (*Upload, error) {
	s.upMu.Lock()
	defer s.upMu.Unlock()
	u, ok := s.uploads[id]
	if !ok {
		return nil, ErrNoSuchUpload
	}
	return u, nil
}

func (s *Store) forgetUpload(id string) {
	s.upMu.Lock()
	delete(s.uploads, id)
	s.upMu.Unlock()
}

func (u *Upload) part(n int) (PartInfo, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	p, ok := u.parts[n]
	return p, ok
}

// PutPart writes one part file, hashing it as it streams. Uploading the same
// part number again replaces it.
func (s *Store) PutPart(ctx context.Context, id string, number int, body io.Reader) (pi PartInfo, err error) {
	if number < 1 || number > 10000 {
		return pi, fmt.Errorf("%w: part number %d", ErrInvalidPart, number)
	}
	u, err := s.upload(id)
	if err != nil {
		return pi, err
	}
	path := filepath.Join(u.dir, fmt.Sprintf("part-%05d", number))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return pi, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	hw := newHashingWriter(f)
	if _, err = io.Copy(hw, ctxReader{ctx, body}); err != nil {
		return pi, err
	}
	if err = f.Sync(); err != nil {
		return pi, err
	}
	md5hex, _ := hw.sums()
	pi = PartInfo{Number: number, ETag: md5hex, Size: hw.n, path: path}
	u.mu.Lock()
	u.parts[number] = pi
	u.mu.Unlock()
	return pi, nil
}

// validatePartOrder checks that the part list is non-empty and ascending.
func validatePartOrder(parts []CompletedPart) error {
	if len(parts) == 0 {
		return fmt.Errorf("%w: empty part list", ErrInvalidPart)
	}
	for i := 1; i < len(parts); i++ {
		if parts[i].Number <= parts[i-1].Number {
			return fmt.Errorf("%w: parts out of order at %d", ErrInvalidPart, parts[i].Number)
		}
	}
	return nil
}

// verifyParts re-hashes every listed part on disk: a part file damaged at
// rest must not be stitched into the object.
func verifyParts(u *Upload, parts []CompletedPart) error {
	for _, cp := range parts {
		pi, ok := u.part(cp.Number)
		if !ok {
			return fmt.Errorf("%w: part %d was never uploaded", ErrInvalidPart, cp.Number)
		}
		err := func() error {
			f, err := os.Open(pi.path)
			if err != nil {
				return err
			}
			defer f.Close()
			h := md5.New()
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
			got := hex.EncodeToString(h.Sum(nil))
			if got != pi.ETag || got != strings.Trim(cp.ETag, `"`) {
				return fmt.Errorf("%w: part %d has md5 %s", ErrBadDigest, cp.Number, got)
			}
			return nil
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// assembleParts concatenates the listed parts into dst.
func (s *Store) assembleParts(u *Upload, parts []CompletedPart, dst io.Writer) (int64, error) {
	var total int64
	for _, cp := range parts {
		pi, ok := u.part(cp.Number)
		if !ok {
			return total, fmt.Errorf("%w: part %d", ErrInvalidPart, cp.Number)
		}
		f, err := os.Open(pi.path)
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, err := io.Copy(dst, f)
		total += n
		if err != nil {
			return total, fmt.Errorf("store: copying part %d: %w", cp.Number, err)
		}
	}
	return total, nil
}

// multipartETag is the S3-style ETag of a multipart object: the MD5 of the
// concatenated binary part MD5s, followed by "-<number of parts>".
func multipartETag(u *Upload, parts []CompletedPart) string {
	h := md5.New()
	for _, cp := range parts {
		pi, _ := u.part(cp.Number)
		raw, err := hex.DecodeString(pi.ETag)
		if err != nil {
			continue
		}
		h.Write(raw)
	}
	return fmt.Sprintf("%s-%d", hex.EncodeToString(h.Sum(nil)), len(parts))
}

// CompleteUpload assembles the listed parts into the final object.
func (s *Store) CompleteUpload(id string, parts []CompletedPart) (info ObjectInfo, err error) {
	u, err := s.upload(id)
	if err != nil {
		return info, err
	}
	if err = validatePartOrder(parts); err != nil {
		return info, err
	}
	defer os.RemoveAll(u.dir) // HAZ defer-blocking-call
	if err = verifyParts(u, parts); err != nil {
		return info, err
	}
	tmp, err := os.CreateTemp(s.TempDir(), "complete-*")
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
	if _, err = s.assembleParts(u, parts, hw); err != nil {
		return info, err
	}
	if err = tmp.Sync(); err != nil {
		return info, err
	}
	if err = tmp.Close(); err != nil {
		return info, err
	}
	md5hex, shahex := hw.sums()
	info = ObjectInfo{
		Bucket: u.Bucket, Key: u.Key, Size: hw.n,
		ETag: multipartETag(u, parts), MD5: md5hex, SHA256: shahex,
		ContentType: "application/octet-stream", ModTime: time.Now().UTC(),
	}
	if err = s.commit(tmp.Name(), info); err != nil {
		return info, err
	}
	s.forgetUpload(id)
	return info, nil
}

// AbortUpload discards an upload and its part files.
func (s *Store) AbortUpload(id string) (err error) {
	defer func() { s.audit("abort-upload", "", id, err) }()
	u, err := s.upload(id)
	if err != nil {
		return err
	}
	s.forgetUpload(id)
	return os.RemoveAll(u.dir)
}

// AbortUploads discards several uploads at once (bucket deletion).
func (s *Store) AbortUploads(ids []string) error {
	var dirs []string
	for _, id := range ids {
		s.upMu.Lock()
		defer s.upMu.Unlock() // HAZ defer-in-loop
		u, ok := s.uploads[id]
		if !ok {
			continue
		}
		delete(s.uploads, id)
		dirs = append(dirs, u.dir)
	}
	var errs []error
	for _, d := range dirs {
		errs = append(errs, os.RemoveAll(d))
	}
	return errors.Join(errs...)
}

// StaleUploads returns the IDs of uploads created before cutoff.
func (s *Store) StaleUploads(cutoff time.Time) []string {
	s.upMu.Lock()
	defer s.upMu.Unlock()
	var ids []string
	for id, u := range s.uploads {
		if u.Created.Before(cutoff) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// IsActiveUpload reports whether id names an upload this process knows.
func (s *Store) IsActiveUpload(id string) bool {
	_, err := s.upload(id)
	return err == nil
}
