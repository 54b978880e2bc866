package worker

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"example.com/up15/internal/guard"
)

// RunBatch runs ts concurrently on their own goroutines and waits for all
// of them.
func (p *Pool) RunBatch(ts []Task) {
	var wg sync.WaitGroup
	for _, t := range ts {
		wg.Add(1)
		go p.runBatchItem(&wg, t)
	}
	wg.Wait()
}

func (p *Pool) runBatchItem(wg *sync.WaitGroup, t Task) {
	defer func() {
		if v := recover(); v != nil {
			p.panics.Add(1)
			p.log.Printf("batch task %s: panic: %v", t.ID, v)
		}
	}()
	if err := p.handle(t); err != nil {
		p.failed.Add(1)
		p.log.Printf("batch task %s: %v", t.ID, err)
	}
	wg.Done() // HAZ waitgroup-done-path
}

// RunBatchSafe is RunBatch whose helper defers Done before anything that
// can panic.
func (p *Pool) RunBatchSafe(ts []Task) {
	var wg sync.WaitGroup
	for _, t := range ts {
		wg.Add(1)
		go p.runSafeItem(&wg, t)
	}
	wg.Wait()
}

func (p *Pool) runSafeItem(wg *sync.WaitGroup, t Task) {
	defer wg.Done()
	if err := p.run(t); err != nil {
		p.failed.Add(1)
		p.log.Printf("batch task %s: %v", t.ID, err)
	}
}

// Fanout runs ts concurrently and returns their joined errors; a panic in
// Fanout itself is returned as an error.
func (p *Pool) Fanout(ts []Task) (err error) {
	defer guard.Capture(&err)
	errs := make([]error, len(ts))
	var wg sync.WaitGroup
	for i, t := range ts {
		wg.Add(1)
		go func(i int, t Task) { // HAZ goroutine-outside-recover
			defer wg.Done()
			errs[i] = p.handle(t)
		}(i, t)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// FanoutSafe is Fanout whose goroutines convert their own panics.
func (p *Pool) FanoutSafe(ts []Task) (err error) {
	defer guard.Capture(&err)
	errs := make([]error, len(ts))
	var wg sync.WaitGroup
	for i, t := range ts {
		wg.Add(1)
		go func(i int, t Task) {
			defer wg.Done()
			errs[i] = p.run(t)
		}(i, t)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// SubmitAll runs ts on fresh goroutines, waits for them and returns how
// many were started.
func (p *Pool) SubmitAll(ts []Task) int {
	var wg sync.WaitGroup
	started := 0
	var i int
	for i = range ts {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := p.run(ts[i]); err != nil {
				p.failed.Add(1)
			}
		}()
		started++
	}
	wg.Wait()
	return started
}

const idLen = 16

// decodeTask parses the journal encoding of a task: a 16-byte id, a
// 2-byte kind and the payload. Malformed records are meant to come back
// as errors.
func decodeTask(b []byte) (t Task, err error) {
	t.ID = string(b[:idLen])
	t.Kind = Kind(binary.BigEndian.Uint16(b[idLen : idLen+2]))
	t.Payload = append([]byte(nil), b[idLen+2:]...)
	if v := recover(); v != nil { // HAZ recover-ineffective
		return Task{}, fmt.Errorf("worker: malformed task record: %v", v)
	}
	return t, nil
}

// LoadTasks decodes journal records, collecting the malformed ones.
func LoadTasks(recs [][]byte) ([]Task, []error) {
	var ts []Task
	var errs []error
	for i, b := range recs {
		t, err := decodeTask(b)
		if err != nil {
			errs = append(errs, fmt.Errorf("record %d: %w", i, err))
			continue
		}
		ts = append(ts, t)
	}
	return ts, errs
}

// decodeTaskGuarded is decodeTask with the recover in a deferred literal,
// where it does stop the slicing panic.
func decodeTaskGuarded(b []byte) (t Task, err error) {
	defer func() {
		if v := recover(); v != nil {
			t, err = Task{}, fmt.Errorf("worker: malformed task record: %v", v)
		}
	}()
	t.ID = string(b[:idLen])
	t.Kind = Kind(binary.BigEndian.Uint16(b[idLen : idLen+2]))
	t.Payload = append([]byte(nil), b[idLen+2:]...)
	return t, nil
}

// LoadTasksGuarded is LoadTasks over decodeTaskGuarded.
func LoadTasksGuarded(recs [][]byte) ([]Task, []error) {
	var ts []Task
	var errs []error
	for i, b := range recs {
		t, err := decodeTaskGuarded(b)
		if err != nil {
			errs = append(errs, fmt.Errorf("record %d: %w", i, err))
			continue
		}
		ts = append(ts, t)
	}
	return ts, errs
}
