package exits

import (
	"bytes"
	"log"
	"os"
	"sync"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Handing a buffer back to a pool is in-memory state that ends with the process: nothing is lost
// when the exit skips it.
func encodeOrDie(v string) []byte {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	if _, err := buf.WriteString(v); err != nil {
		log.Fatalf("encode: %v", err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// Waking waiters on the way out is as harmless.
type gate struct {
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

func (g *gate) openOrDie(path string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	defer g.cond.Broadcast()
	if _, err := os.Stat(path); err != nil {
		log.Fatalf("gate: %v", err)
	}
	g.open = true
}

// A pooled buffer beside a flush that matters: the flush is what the exit loses.
func dumpOrDie(w *bytes.Buffer, out *os.File) {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	defer func() {
		if _, err := out.Write(w.Bytes()); err != nil {
			log.Print(err)
		}
	}()
	if w.Len() == 0 {
		log.Fatal("nothing to dump") // want `log\.Fatal ends the process here in dumpOrDie while the deferred function literal \(line \d+\) is pending`
	}
}
