package index

import "fmt"

// Op is a catalog mutation replayed from the journal.
type Op interface{ isOp() }

// AddOp appends keys to a collection.
type AddOp struct {
	Name string
	Keys []string
}

// DropOp removes a collection.
type DropOp struct {
	Name string
}

func (AddOp) isOp()  {}
func (DropOp) isOp() {}

// Apply replays ops in order.
func (c *Catalog) Apply(ops []Op) error {
	for i, op := range ops {
		switch op := op.(type) {
		case AddOp:
			c.mu.Lock()
			defer c.mu.Unlock() // HAZ defer-in-loop
			c.rows[op.Name] = append(c.rows[op.Name], op.Keys...)
		case DropOp:
			c.mu.Lock()
			delete(c.rows, op.Name)
			c.mu.Unlock()
		default:
			return fmt.Errorf("catalog: op %d: unknown type %T", i, op)
		}
	}
	return nil
}

// ApplyEach replays ops in order, one locked call per op.
func (c *Catalog) ApplyEach(ops []Op) error {
	for i, op := range ops {
		if err := c.apply(op); err != nil {
			return fmt.Errorf("catalog: op %d: %w", i, err)
		}
	}
	return nil
}

func (c *Catalog) apply(op Op) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch op := op.(type) {
	case AddOp:
		c.rows[op.Name] = append(c.rows[op.Name], op.Keys...)
	case DropOp:
		delete(c.rows, op.Name)
	default:
		return fmt.Errorf("unknown type %T", op)
	}
	return nil
}

// MustKeys returns the keys of a collection that is known to exist; it
// panics otherwise (callers run under a recover that turns it into a 500).
func (c *Catalog) MustKeys(name string) []string {
	c.mu.Lock() // HAZ lock-leaked-on-return
	keys, ok := c.rows[name]
	if !ok {
		panic("catalog: unknown collection " + name)
	}
	out := append([]string(nil), keys...)
	c.mu.Unlock()
	return out
}

// KeysOf is MustKeys with the unlock deferred, so the panic releases the
// lock.
func (c *Catalog) KeysOf(name string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys, ok := c.rows[name]
	if !ok {
		panic("catalog: unknown collection " + name)
	}
	return append([]string(nil), keys...)
}

// Rename moves a collection to a new name.
func (c *Catalog) Rename(from, to string) error {
	c.mu.Lock()
	defer c.mu.Lock() // HAZ defer-lock-mismatch
	keys, ok := c.rows[from]
	if !ok {
		return fmt.Errorf("catalog: no collection %s", from)
	}
	delete(c.rows, from)
	c.rows[to] = keys
	return nil
}
