package btree

import "example.com/ekv/internal/page"

// Cursor iterates over a tree in key order. It sees the tree as it was
// when each node was first visited; it is not safe to modify the tree
// while a cursor is in use.
type Cursor struct {
	t     *Tree
	stack []frame
}

type frame struct {
	n *node
	i int
}

// Cursor returns a new cursor positioned before the first key.
func (t *Tree) Cursor() *Cursor {
	return &Cursor{t: t}
}

// First moves to the first key. It returns nil keys on an empty tree.
func (c *Cursor) First() ([]byte, []byte, error) {
	c.stack = c.stack[:0]
	if err := c.descendFirst(c.t.root); err != nil {
		return nil, nil, err
	}
	return c.settle()
}

// Seek moves to the first key >= key.
func (c *Cursor) Seek(key []byte) ([]byte, []byte, error) {
	c.stack = c.stack[:0]
	id := c.t.root
	for {
		n, err := c.t.node(id)
		if err != nil {
			return nil, nil, err
		}
		if n.leaf {
			i, _ := n.search(key)
			c.stack = append(c.stack, frame{n: n, i: i})
			return c.settle()
		}
		i := n.childIndex(key)
		c.stack = append(c.stack, frame{n: n, i: i})
		id = n.children[i]
	}
}

// Next moves to the following key.
func (c *Cursor) Next() ([]byte, []byte, error) {
	if len(c.stack) == 0 {
		return nil, nil, nil
	}
	c.stack[len(c.stack)-1].i++
	return c.settle()
}

// settle makes sure the top frame points at an element, climbing and
// descending past exhausted or empty leaves.
func (c *Cursor) settle() ([]byte, []byte, error) {
	for len(c.stack) > 0 {
		top := &c.stack[len(c.stack)-1]
		if top.i < len(top.n.keys) {
			if top.n.leaf {
				return top.n.keys[top.i], top.n.vals[top.i], nil
			}
			child := top.n.children[top.i]
			if err := c.descendFirst(child); err != nil {
				return nil, nil, err
			}
			continue
		}
		c.stack = c.stack[:len(c.stack)-1]
		if len(c.stack) > 0 {
			c.stack[len(c.stack)-1].i++
		}
	}
	return nil, nil, nil
}

func (c *Cursor) descendFirst(id page.ID) error {
	for {
		n, err := c.t.node(id)
		if err != nil {
			return err
		}
		c.stack = append(c.stack, frame{n: n})
		if n.leaf || len(n.children) == 0 {
			return nil
		}
		id = n.children[0]
	}
}
