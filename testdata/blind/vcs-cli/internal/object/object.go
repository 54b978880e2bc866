// Package object implements the content-addressed object model: every blob,
// tree, commit and tag is named by the SHA-1 of its header and payload.
package object

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
)

// Kind is the type of a stored object.
type Kind uint8

const (
	KindBlob Kind = iota + 1
	KindTree
	KindCommit
	KindTag
)

var kindNames = map[Kind]string{
	KindBlob:   "blob",
	KindTree:   "tree",
	KindCommit: "commit",
	KindTag:    "tag",
}

func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind maps a name such as "blob" to its Kind.
func ParseKind(s string) (Kind, error) {
	for k, name := range kindNames {
		if name == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("object: unknown kind %q", s)
}

// ID is a SHA-1 object name.
type ID [sha1.Size]byte

// ZeroID is the all-zero name used for "no object".
var ZeroID ID

func (id ID) String() string { return hex.EncodeToString(id[:]) }

// Short returns the abbreviated form used in human output.
func (id ID) Short() string { return id.String()[:7] }

// IsZero reports whether id is the zero name.
func (id ID) IsZero() bool { return id == ZeroID }

// ParseID decodes a 40-character hex name.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 2*len(id) {
		return id, fmt.Errorf("object: bad id length %d in %q", len(s), s)
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, fmt.Errorf("object: bad id %q: %w", s, err)
	}
	return id, nil
}

// Header returns the canonical "<kind> <size>\x00" prefix that is hashed
// together with the payload.
func Header(kind Kind, size int) []byte {
	return []byte(kind.String() + " " + strconv.Itoa(size) + "\x00")
}

// Hash computes the object name of payload data of the given kind.
func Hash(kind Kind, data []byte) ID {
	h := sha1.New()
	h.Write(Header(kind, len(data)))
	h.Write(data)
	var id ID
	copy(id[:], h.Sum(nil))
	return id
}

// ErrCorrupt reports a malformed object.
var ErrCorrupt = errors.New("object: corrupt object")

// ErrNotFound reports a missing object.
var ErrNotFound = errors.New("object: not found")

// SplitHeader parses the header of a raw (inflated) loose object and returns
// its kind and payload.
func SplitHeader(raw []byte) (Kind, []byte, error) {
	nul := bytes.IndexByte(raw, 0)
	if nul < 0 {
		return 0, nil, ErrCorrupt
	}
	name, sizeStr, ok := bytes.Cut(raw[:nul], []byte{' '})
	if !ok {
		return 0, nil, ErrCorrupt
	}
	kind, err := ParseKind(string(name))
	if err != nil {
		return 0, nil, err
	}
	size, err := strconv.Atoi(string(sizeStr))
	if err != nil || size != len(raw)-nul-1 {
		return 0, nil, fmt.Errorf("%w: size mismatch", ErrCorrupt)
	}
	return kind, raw[nul+1:], nil
}
