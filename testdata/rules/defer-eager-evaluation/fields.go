package eager

import "log"

type bundler struct {
	name  string
	count int
	recs  []string
}

func (b *bundler) logf(format string, args ...any) { log.Printf(format, args...) }

// b.count is read at the defer statement, before the loop counts anything: the summary always
// says 0.
func (b *bundler) drain(in <-chan string) {
	defer b.logf("bundle %s: drained %d records", b.name, b.count) // want `defer b\.logf\(.*\) receives b\.count as it is at the defer statement on line \d+; bundler\.drain changes b\.count on line \d+`
	for r := range in {
		b.recs = append(b.recs, r)
		b.count++
	}
}

// The count at the start is what the message says it reports.
func (b *bundler) drainFrom(in <-chan string) {
	defer b.logf("bundle %s: started with %d records", b.name, b.count)
	for r := range in {
		b.recs = append(b.recs, r)
		b.count++
	}
}

// Counted before the defer: the value at the defer statement is the final one.
func (b *bundler) addAll(rs []string) {
	for _, r := range rs {
		b.recs = append(b.recs, r)
		b.count++
	}
	defer b.logf("bundle %s: %d records", b.name, b.count)
	b.recs = b.recs[:len(b.recs):len(b.recs)]
}

// The closure reads the field at exit.
func (b *bundler) drainLate(in <-chan string) {
	defer func() { b.logf("bundle %s: drained %d records", b.name, b.count) }()
	for r := range in {
		b.recs = append(b.recs, r)
		b.count++
	}
}

type chunkPool struct{ free [][]byte }

func (p *chunkPool) Put(b []byte) { p.free = append(p.free, b) }

type errWriter struct {
	pool   *chunkPool
	buffer []byte
}

// The buffer is handed back at exit and the field cleared: the old value is the one meant.
func (e *errWriter) Close() error {
	defer e.pool.Put(e.buffer)
	n := len(e.buffer)
	e.buffer = nil
	if n == 0 {
		return nil
	}
	return nil
}
