package nilfunc

import "errors"

var errNoPoolLease = errors.New("no poolLease")

type poolLease struct{ id int }

func (l *poolLease) giveBack() {}

type poolOfLeases struct{ free []*poolLease }

func (p *poolOfLeases) get() *poolLease {
	if len(p.free) == 0 {
		return nil
	}
	l := p.free[0]
	p.free = p.free[1:]
	return l
}

type leaseWorker struct {
	pool   *poolOfLeases
	strict bool
	// giveBack is the method value of the poolLease held by process.
	giveBack func()
}

func newLeaseWorker(p *poolOfLeases, strict bool) *leaseWorker {
	return &leaseWorker{pool: p, strict: strict}
}

// With no poolLease and a lenient worker, nothing has set w.giveBack on the first call.
func (w *leaseWorker) process(items []int) (int, error) {
	if l := w.pool.get(); l != nil {
		w.giveBack = l.giveBack
	} else if w.strict {
		return 0, errNoPoolLease
	}
	defer w.giveBack() // want `w\.giveBack is set only by leaseWorker\.process itself \(line \d+\), and a path reaches this defer without passing that store`
	return len(items), nil
}

type leaseWorker2 struct {
	pool     *poolOfLeases
	giveBack func()
}

// Set on every path to the defer.
func (w *leaseWorker2) process(items []int) (int, error) {
	l := w.pool.get()
	if l == nil {
		return 0, errNoPoolLease
	}
	w.giveBack = l.giveBack
	defer w.giveBack()
	return len(items), nil
}
