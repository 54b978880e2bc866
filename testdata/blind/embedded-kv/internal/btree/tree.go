// Package btree implements a copy-on-write B+tree over fixed-size pages.
//
// A Tree is used by exactly one transaction. Modified nodes are copied to
// freshly allocated pages and kept in memory until Flush; the pages they
// replace are handed back to the Source to be freed.
package btree

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"time"

	"example.com/ekv/internal/page"
)

var (
	// ErrKeyRequired is returned for an empty key.
	ErrKeyRequired = errors.New("btree: key required")
	// ErrKeyTooLarge is returned for keys longer than MaxKeySize allows.
	ErrKeyTooLarge = errors.New("btree: key too large")
	// ErrValueTooLarge is returned for values that cannot share a page.
	ErrValueTooLarge = errors.New("btree: value too large")
)

// Source provides pages to a tree: the transaction that owns it.
type Source interface {
	ReadPage(id page.ID) ([]byte, error)
	Allocate() (page.ID, error)
	Free(id page.ID)
}

// OpStat accumulates the count and total time of one kind of operation.
type OpStat struct {
	Count int
	Time  time.Duration
}

// Tree is a B+tree rooted at a page.
type Tree struct {
	src      Source
	root     page.ID
	pageSize int
	dirty    map[page.ID]*node
	ops      map[string]*OpStat
}

// New returns a tree rooted at root.
func New(src Source, root page.ID, pageSize int) *Tree {
	return &Tree{
		src:      src,
		root:     root,
		pageSize: pageSize,
		dirty:    make(map[page.ID]*node),
		ops:      make(map[string]*OpStat),
	}
}

// Root returns the current root page id.
func (t *Tree) Root() page.ID { return t.root }

// DirtyCount returns the number of nodes waiting for Flush.
func (t *Tree) DirtyCount() int { return len(t.dirty) }

// Ops returns the per-operation statistics gathered by this tree.
func (t *Tree) Ops() map[string]OpStat {
	out := make(map[string]OpStat, len(t.ops))
	for k, v := range t.ops {
		out[k] = *v
	}
	return out
}

// timed starts timing op; call the returned func when op is done.
func (t *Tree) timed(op string) func() {
	start := time.Now()
	return func() {
		s := t.ops[op]
		if s == nil {
			s = &OpStat{}
			t.ops[op] = s
		}
		s.Count++
		s.Time += time.Since(start)
	}
}

// MaxKeySize returns the longest key a tree with this page size accepts.
func MaxKeySize(pageSize int) int {
	return (pageSize - page.HeaderSize) / 16
}

// MaxValueSize returns the longest value a tree with this page size
// accepts: any element fits in a quarter page, so a split always yields
// two nodes that fit.
func MaxValueSize(pageSize int) int {
	return (pageSize-page.HeaderSize)/4 - leafElemHeader - MaxKeySize(pageSize)
}

func (t *Tree) node(id page.ID) (*node, error) {
	if n, ok := t.dirty[id]; ok {
		return n, nil
	}
	buf, err := t.src.ReadPage(id)
	if err != nil {
		return nil, err
	}
	n, err := decodeNode(buf)
	if err != nil {
		return nil, err
	}
	if n.id != id {
		return nil, fmt.Errorf("btree: page %d claims to be page %d", id, n.id)
	}
	return n, nil
}

// writable returns a dirty copy of node id, moving it to a new page if it
// is still clean.
func (t *Tree) writable(id page.ID) (*node, error) {
	if n, ok := t.dirty[id]; ok {
		return n, nil
	}
	n, err := t.node(id)
	if err != nil {
		return nil, err
	}
	c := n.clone()
	newID, err := t.src.Allocate()
	if err != nil {
		return nil, err
	}
	t.src.Free(id)
	c.id = newID
	t.dirty[newID] = c
	return c, nil
}

// Get looks key up.
func (t *Tree) Get(key []byte) ([]byte, bool, error) {
	id := t.root
	for {
		n, err := t.node(id)
		if err != nil {
			return nil, false, err
		}
		if n.leaf {
			i, found := n.search(key)
			if !found {
				return nil, false, nil
			}
			return n.vals[i], true, nil
		}
		if len(n.children) == 0 {
			return nil, false, fmt.Errorf("btree: empty branch page %d", n.id)
		}
		id = n.children[n.childIndex(key)]
	}
}

func (t *Tree) checkSizes(key, val []byte) error {
	switch {
	case len(key) == 0:
		return ErrKeyRequired
	case len(key) > MaxKeySize(t.pageSize):
		return fmt.Errorf("%w: %d bytes, limit %d", ErrKeyTooLarge, len(key), MaxKeySize(t.pageSize))
	case len(val) > MaxValueSize(t.pageSize):
		return fmt.Errorf("%w: %d bytes, limit %d", ErrValueTooLarge, len(val), MaxValueSize(t.pageSize))
	}
	return nil
}

// Put inserts or replaces key.
func (t *Tree) Put(key, val []byte) error {
	defer t.timed("put")()
	if err := t.checkSizes(key, val); err != nil {
		return err
	}
	key = append([]byte(nil), key...)
	val = append([]byte(nil), val...)

	newRoot, sib, err := t.insert(t.root, key, val)
	if err != nil {
		return err
	}
	t.root = newRoot
	if sib == nil {
		return nil
	}
	left, err := t.node(newRoot)
	if err != nil {
		return err
	}
	id, err := t.src.Allocate()
	if err != nil {
		return err
	}
	t.dirty[id] = &node{
		id:       id,
		keys:     [][]byte{left.keys[0], sib.key},
		children: []page.ID{left.id, sib.id},
	}
	t.root = id
	return nil
}

type sibling struct {
	key []byte
	id  page.ID
}

func (t *Tree) insert(id page.ID, key, val []byte) (page.ID, *sibling, error) {
	n, err := t.writable(id)
	if err != nil {
		return 0, nil, err
	}
	if n.leaf {
		i, found := n.search(key)
		if found {
			n.vals[i] = val
		} else {
			n.insertLeaf(i, key, val)
		}
	} else {
		i := n.childIndex(key)
		childID, csib, err := t.insert(n.children[i], key, val)
		if err != nil {
			return 0, nil, err
		}
		n.children[i] = childID
		if i == 0 && bytes.Compare(key, n.keys[0]) < 0 {
			n.keys[0] = key
		}
		if csib != nil {
			n.insertChild(i+1, csib.key, csib.id)
		}
	}
	if n.size() <= t.pageSize {
		return n.id, nil, nil
	}
	right, err := t.split(n)
	if err != nil {
		return 0, nil, err
	}
	return n.id, &sibling{key: right.keys[0], id: right.id}, nil
}

// split moves the upper half of n (by encoded size) to a new node.
func (t *Tree) split(n *node) (*node, error) {
	defer t.timed("split") // HAZ defer-func-result-not-called

	half := (n.size() - page.HeaderSize) / 2
	acc, at := 0, 0
	for i, k := range n.keys {
		if n.leaf {
			acc += leafElemHeader + len(k) + len(n.vals[i])
		} else {
			acc += branchElemHeader + len(k)
		}
		if acc >= half {
			at = i + 1
			break
		}
	}
	if at <= 0 || at >= len(n.keys) {
		at = len(n.keys) / 2
	}
	id, err := t.src.Allocate()
	if err != nil {
		return nil, err
	}
	right := &node{id: id, leaf: n.leaf}
	right.keys = append(right.keys, n.keys[at:]...)
	n.keys = n.keys[:at:at]
	if n.leaf {
		right.vals = append(right.vals, n.vals[at:]...)
		n.vals = n.vals[:at:at]
	} else {
		right.children = append(right.children, n.children[at:]...)
		n.children = n.children[:at:at]
	}
	t.dirty[id] = right
	return right, nil
}

// Delete removes key and reports whether it was present. Leaves are not
// merged; empty leaves are skipped by cursors and reclaimed by compaction.
func (t *Tree) Delete(key []byte) (bool, error) {
	defer t.timed("delete")()
	if _, found, err := t.Get(key); err != nil || !found {
		return false, err
	}
	id := t.root
	var parent *node
	var slot int
	for {
		n, err := t.writable(id)
		if err != nil {
			return false, err
		}
		if parent == nil {
			t.root = n.id
		} else {
			parent.children[slot] = n.id
		}
		if n.leaf {
			i, found := n.search(key)
			if found {
				n.removeLeaf(i)
			}
			return found, nil
		}
		parent, slot = n, n.childIndex(key)
		id = n.children[slot]
	}
}

// Flush encodes every dirty node and hands it to write, in page order.
func (t *Tree) Flush(write func(id page.ID, buf []byte) error) error {
	ids := make([]page.ID, 0, len(t.dirty))
	for id := range t.dirty {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		buf := make([]byte, t.pageSize)
		if err := t.dirty[id].encode(buf); err != nil {
			return err
		}
		if err := write(id, buf); err != nil {
			return err
		}
	}
	t.dirty = make(map[page.ID]*node)
	return nil
}

// NodeInfo describes one node for Walk.
type NodeInfo struct {
	ID    page.ID
	Leaf  bool
	Count int
	Size  int
	Depth int
}

// Walk visits every node depth-first, parents before children.
func (t *Tree) Walk(fn func(NodeInfo) error) error {
	return t.walk(t.root, 0, fn)
}

func (t *Tree) walk(id page.ID, depth int, fn func(NodeInfo) error) error {
	n, err := t.node(id)
	if err != nil {
		return err
	}
	if err := fn(NodeInfo{ID: n.id, Leaf: n.leaf, Count: len(n.keys), Size: n.size(), Depth: depth}); err != nil {
		return err
	}
	for _, c := range n.children {
		if err := t.walk(c, depth+1, fn); err != nil {
			return err
		}
	}
	return nil
}
