// Package index holds posting lists and the in-memory inverted index that
// buffers documents until they are written out as an immutable segment.
package index

import (
	"encoding/binary"
	"errors"
	"io"
	"sort"
)

// DocID is the internal, dense identifier of a document.
type DocID uint32

// Posting records that a term occurs Freq times in Doc.
type Posting struct {
	Doc  DocID
	Freq uint32
}

// PostingList is sorted by Doc, without duplicates.
type PostingList []Posting

// ErrCorrupt is returned when encoded data cannot be decoded.
var ErrCorrupt = errors.New("index: corrupt posting list")

// Docs returns the document ids of pl.
func (pl PostingList) Docs() []DocID {
	out := make([]DocID, len(pl))
	for i, p := range pl {
		out[i] = p.Doc
	}
	return out
}

// Intersect returns the postings of a whose documents also occur in b.
func Intersect(a, b PostingList) PostingList {
	out := make(PostingList, 0, min(len(a), len(b)))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].Doc < b[j].Doc:
			i++
		case a[i].Doc > b[j].Doc:
			j++
		default:
			out = append(out, Posting{Doc: a[i].Doc, Freq: a[i].Freq + b[j].Freq})
			i++
			j++
		}
	}
	return out
}

// Union merges a and b, summing frequencies of shared documents.
func Union(a, b PostingList) PostingList {
	out := make(PostingList, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i].Doc < b[j].Doc):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j].Doc < a[i].Doc:
			out = append(out, b[j])
			j++
		default:
			out = append(out, Posting{Doc: a[i].Doc, Freq: a[i].Freq + b[j].Freq})
			i++
			j++
		}
	}
	return out
}

// Without returns pl minus the deleted documents. pl is not modified.
func (pl PostingList) Without(deleted map[DocID]bool) PostingList {
	if len(deleted) == 0 {
		return pl
	}
	out := make(PostingList, 0, len(pl))
	for _, p := range pl {
		if !deleted[p.Doc] {
			out = append(out, p)
		}
	}
	return out
}

// insert adds p keeping pl sorted; an existing posting for p.Doc is replaced.
func (pl PostingList) insert(p Posting) PostingList {
	i := sort.Search(len(pl), func(i int) bool { return pl[i].Doc >= p.Doc })
	if i < len(pl) && pl[i].Doc == p.Doc {
		pl[i] = p
		return pl
	}
	pl = append(pl, Posting{})
	copy(pl[i+1:], pl[i:])
	pl[i] = p
	return pl
}

// Encode writes pl as a count followed by delta-encoded (doc, freq) varints.
func (pl PostingList) Encode(w io.Writer) error {
	var buf [2 * binary.MaxVarintLen64]byte
	n := binary.PutUvarint(buf[:], uint64(len(pl)))
	if _, err := w.Write(buf[:n]); err != nil {
		return err
	}
	var prev DocID
	for _, p := range pl {
		n = binary.PutUvarint(buf[:], uint64(p.Doc-prev))
		n += binary.PutUvarint(buf[n:], uint64(p.Freq))
		if _, err := w.Write(buf[:n]); err != nil {
			return err
		}
		prev = p.Doc
	}
	return nil
}

// DecodePostingList reads a list written by Encode.
func DecodePostingList(r io.ByteReader) (PostingList, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err
	}
	if n > 1<<28 {
		return nil, ErrCorrupt
	}
	pl := make(PostingList, 0, n)
	var prev DocID
	for i := uint64(0); i < n; i++ {
		delta, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, err
		}
		freq, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, err
		}
		prev += DocID(delta)
		pl = append(pl, Posting{Doc: prev, Freq: uint32(freq)})
	}
	return pl, nil
}
