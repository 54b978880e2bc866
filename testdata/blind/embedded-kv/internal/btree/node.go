package btree

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"

	"example.com/ekv/internal/page"
)

// Leaf element layout:   klen uint16 | vlen uint32 | key | value
// Branch element layout: klen uint16 | child uint64 | key
const (
	leafElemHeader   = 2 + 4
	branchElemHeader = 2 + 8
)

// node is the decoded form of a branch or leaf page. In a branch,
// keys[i] is the smallest key reachable through children[i].
type node struct {
	id       page.ID
	leaf     bool
	keys     [][]byte
	vals     [][]byte  // leaf only
	children []page.ID // branch only
}

func decodeNode(buf []byte) (*node, error) {
	h, err := page.DecodeHeader(buf)
	if err != nil {
		return nil, err
	}
	n := &node{id: h.ID}
	switch {
	case h.Flags&page.FlagLeaf != 0:
		n.leaf = true
	case h.Flags&page.FlagBranch != 0:
	default:
		return nil, fmt.Errorf("btree: page %d is a %s page, not a node", h.ID, h.Type())
	}
	b := buf[page.HeaderSize:]
	le := binary.LittleEndian
	for i := 0; i < int(h.Count); i++ {
		if n.leaf {
			if len(b) < leafElemHeader {
				return nil, fmt.Errorf("btree: page %d: element %d truncated", h.ID, i)
			}
			klen, vlen := int(le.Uint16(b[0:2])), int(le.Uint32(b[2:6]))
			b = b[leafElemHeader:]
			if len(b) < klen+vlen {
				return nil, fmt.Errorf("btree: page %d: element %d overflows page", h.ID, i)
			}
			n.keys = append(n.keys, b[:klen:klen])
			n.vals = append(n.vals, b[klen:klen+vlen:klen+vlen])
			b = b[klen+vlen:]
			continue
		}
		if len(b) < branchElemHeader {
			return nil, fmt.Errorf("btree: page %d: element %d truncated", h.ID, i)
		}
		klen := int(le.Uint16(b[0:2]))
		child := page.ID(le.Uint64(b[2:10]))
		b = b[branchElemHeader:]
		if len(b) < klen {
			return nil, fmt.Errorf("btree: page %d: element %d overflows page", h.ID, i)
		}
		n.keys = append(n.keys, b[:klen:klen])
		n.children = append(n.children, child)
		b = b[klen:]
	}
	return n, nil
}

// size returns the encoded size of the node in bytes.
func (n *node) size() int {
	sz := page.HeaderSize
	for i, k := range n.keys {
		if n.leaf {
			sz += leafElemHeader + len(k) + len(n.vals[i])
		} else {
			sz += branchElemHeader + len(k)
		}
	}
	return sz
}

// encode writes the node into buf, which must be a whole page.
func (n *node) encode(buf []byte) error {
	if sz := n.size(); sz > len(buf) {
		return fmt.Errorf("btree: node %d needs %d bytes, page is %d", n.id, sz, len(buf))
	}
	flags := page.FlagBranch
	if n.leaf {
		flags = page.FlagLeaf
	}
	page.Header{ID: n.id, Flags: flags, Count: uint16(len(n.keys))}.Encode(buf)
	b := buf[page.HeaderSize:]
	le := binary.LittleEndian
	for i, k := range n.keys {
		le.PutUint16(b[0:2], uint16(len(k)))
		if n.leaf {
			le.PutUint32(b[2:6], uint32(len(n.vals[i])))
			b = b[leafElemHeader:]
			b = b[copy(b, k):]
			b = b[copy(b, n.vals[i]):]
			continue
		}
		le.PutUint64(b[2:10], uint64(n.children[i]))
		b = b[branchElemHeader:]
		b = b[copy(b, k):]
	}
	for i := range b {
		b[i] = 0
	}
	return nil
}

// search returns the position of key in a leaf and whether it is present.
func (n *node) search(key []byte) (int, bool) {
	i := sort.Search(len(n.keys), func(i int) bool {
		return bytes.Compare(n.keys[i], key) >= 0
	})
	return i, i < len(n.keys) && bytes.Equal(n.keys[i], key)
}

// childIndex returns the index of the child of a branch that may hold key.
func (n *node) childIndex(key []byte) int {
	i := sort.Search(len(n.keys), func(i int) bool {
		return bytes.Compare(n.keys[i], key) > 0
	})
	if i > 0 {
		i--
	}
	return i
}

// clone returns a deep copy detached from the page buffer it was decoded
// from, so the copy can be modified without touching cached pages.
func (n *node) clone() *node {
	c := &node{id: n.id, leaf: n.leaf}
	c.keys = make([][]byte, len(n.keys))
	for i, k := range n.keys {
		c.keys[i] = append([]byte(nil), k...)
	}
	if n.leaf {
		c.vals = make([][]byte, len(n.vals))
		for i, v := range n.vals {
			c.vals[i] = append([]byte(nil), v...)
		}
	} else {
		c.children = append([]page.ID(nil), n.children...)
	}
	return c
}

func (n *node) insertLeaf(i int, key, val []byte) {
	n.keys = append(n.keys, nil)
	copy(n.keys[i+1:], n.keys[i:])
	n.keys[i] = key
	n.vals = append(n.vals, nil)
	copy(n.vals[i+1:], n.vals[i:])
	n.vals[i] = val
}

func (n *node) insertChild(i int, key []byte, child page.ID) {
	n.keys = append(n.keys, nil)
	copy(n.keys[i+1:], n.keys[i:])
	n.keys[i] = key
	n.children = append(n.children, 0)
	copy(n.children[i+1:], n.children[i:])
	n.children[i] = child
}

func (n *node) removeLeaf(i int) {
	n.keys = append(n.keys[:i], n.keys[i+1:]...)
	n.vals = append(n.vals[:i], n.vals[i+1:]...)
}
