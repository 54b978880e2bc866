package fixture

import "sync"

type readMode int

const (
	fromMemory readMode = iota
	memoryThenStore
	fromStore
)

type offsets struct {
	mu    sync.RWMutex
	table map[string]int64
}

func (o *offsets) fetch(key string) int64 { return int64(len(key)) }

// Every constant has its case and the `default:` is empty: no value reaches the return after
// the switch, where the read lock would still be held.
func (o *offsets) read(key string, m readMode) int64 {
	o.mu.RLock()
	switch m {
	case fromMemory, memoryThenStore:
		if off, ok := o.table[key]; ok {
			o.mu.RUnlock()
			return off
		}
		if m == fromMemory {
			o.mu.RUnlock()
			return -1
		}
		fallthrough
	case fromStore:
		off := o.fetch(key)
		o.mu.RUnlock()
		return off
	default:
	}
	return -1
}

// A default with code of its own handles the values outside the constants: its path counts.
func (o *offsets) readLogged(key string, m readMode) int64 {
	o.mu.RLock() // want `o\.mu\.RLock\(\) on line \d+ is not released on the path to the return on line \d+`
	switch m {
	case fromMemory, memoryThenStore:
		o.mu.RUnlock()
		return o.table[key]
	case fromStore:
		off := o.fetch(key)
		o.mu.RUnlock()
		return off
	default:
		o.table[key] = -1
	}
	return -1
}
