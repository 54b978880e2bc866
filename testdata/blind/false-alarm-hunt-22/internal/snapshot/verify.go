package snapshot

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
)

// digestVerifier hashes what is written to it; Close compares the digest.
type digestVerifier struct {
	h    hash.Hash
	want string
	n    int64
}

func newDigestVerifier(want string) *digestVerifier {
	return &digestVerifier{h: sha256.New(), want: strings.ToLower(strings.TrimSpace(want))}
}

func (d *digestVerifier) Write(p []byte) (int, error) {
	d.n += int64(len(p))
	return d.h.Write(p)
}

// Close reports a digest mismatch.
func (d *digestVerifier) Close() error {
	got := hex.EncodeToString(d.h.Sum(nil))
	if got != d.want {
		return fmt.Errorf("snapshot: digest mismatch after %d bytes: got %s, want %s", d.n, got, d.want)
	}
	return nil
}

// Verify checks the file at path against the hex SHA-256 digest want.
func Verify(path, want string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dv := newDigestVerifier(want)
	defer func() { // HAZ defer-ineffective-return
		if cerr := dv.Close(); cerr != nil {
			err = cerr
		}
	}()
	_, err = io.Copy(dv, f)
	return err
}

// VerifyGzip checks the decompressed content of a gzip snapshot against
// the hex SHA-256 digest want.
func VerifyGzip(path, want string) (err error) {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	defer zr.Close()
	dv := newDigestVerifier(want)
	defer func() {
		if cerr := dv.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(dv, zr)
	return err
}
