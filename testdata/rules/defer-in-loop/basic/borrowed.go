package fixture

import "sync"

var bufPool = sync.Pool{New: func() any { return new([]byte) }}

type operand struct {
	buf  *[]byte
	name string
}

func applyOp(ops []*operand) int {
	n := 0
	for _, o := range ops {
		n += len(*o.buf) + len(o.name)
	}
	return n
}

// Each input borrows a buffer that the operation after the loop reads: they go back to the pool
// at return, on purpose.
func runOp(names []string) int {
	inputs := make([]*operand, len(names))
	for i, name := range names {
		b := bufPool.Get().(*[]byte)
		op := &operand{name: name}
		op.buf = b
		inputs[i] = op
		defer func() {
			bufPool.Put(b)
		}()
	}
	return applyOp(inputs)
}

// Here the buffer is only used inside the iteration: the returns pile up until the end.
func sizes(names []string) int {
	n := 0
	for _, name := range names {
		b := bufPool.Get().(*[]byte)
		defer func() { // want `the deferred func\(\) \{\.\.\.\}\(\) runs only when sizes returns`
			bufPool.Put(b)
		}()
		*b = append((*b)[:0], name...)
		n += len(*b)
	}
	return n
}
