// Package blobstore is a content-addressed blob store on local disk.
//
// Blobs live under <root>/blobs/sha256/<aa>/<hex>. Writers stream into
// <root>/tmp, fsync, and rename into place, so a crash never leaves a partial
// blob visible under its digest.
package blobstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Digest identifies a blob by the SHA-256 of its content: "sha256:<64 hex>".
type Digest string

// ErrBadDigest is returned for strings that are not a well-formed digest.
var ErrBadDigest = errors.New("blobstore: malformed digest")

// ParseDigest validates s and returns it as a Digest.
func ParseDigest(s string) (Digest, error) {
	hexPart, ok := strings.CutPrefix(s, "sha256:")
	if !ok || len(hexPart) != sha256.Size*2 {
		return "", fmt.Errorf("%w: %q", ErrBadDigest, s)
	}
	if _, err := hex.DecodeString(hexPart); err != nil {
		return "", fmt.Errorf("%w: %q", ErrBadDigest, s)
	}
	return Digest(strings.ToLower(s)), nil
}

// FromBytes computes the digest of b.
func FromBytes(b []byte) Digest {
	sum := sha256.Sum256(b)
	return Digest("sha256:" + hex.EncodeToString(sum[:]))
}

// Hex returns the hexadecimal part of d.
func (d Digest) Hex() string {
	return strings.TrimPrefix(string(d), "sha256:")
}
