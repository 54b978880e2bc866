package pump

import (
	"bufio"
	"context"
	"io"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Msg is one message on the bus.
type Msg struct {
	Topic string
	Body  []byte
	Skip  bool
}

// Pump batches messages from in and hands the batches to out.
type Pump struct {
	in     <-chan Msg
	out    func([]Msg) error
	every  time.Duration
	max    int
	batch  []Msg
	wg     sync.WaitGroup
	cancel context.CancelFunc
	errs   atomic.Int64
}

// New returns a pump; call Start to run it.
func New(in <-chan Msg, out func([]Msg) error, every time.Duration, max int) *Pump {
	return &Pump{in: in, out: out, every: every, max: max}
}

// Start runs the pump loop in its own goroutine.
func (p *Pump) Start(ctx context.Context) {
	ctx, p.cancel = context.WithCancel(ctx)
	p.wg.Add(1)
	go p.loop(ctx)
}

// Stop ends the loop and waits for the final flush.
func (p *Pump) Stop() {
	p.cancel()
	p.wg.Wait()
}

// Errors returns the number of failed flushes.
func (p *Pump) Errors() int64 { return p.errs.Load() }

func (p *Pump) loop(ctx context.Context) {
	defer p.wg.Done()
	ticker := time.NewTicker(p.every)
	defer ticker.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case m, ok := <-p.in:
			if !ok {
				break loop
			}
			if m.Skip {
				continue loop
			}
			p.batch = append(p.batch, m)
			if len(p.batch) < p.max {
				continue loop
			}
			p.flushCounted()
		case <-ticker.C:
			p.flushCounted()
		}
	}
	p.flushCounted()
}

// RunGuarded runs the pump loop in the calling goroutine and logs a crash
// instead of dying; the error reporter runs beside it.
func (p *Pump) RunGuarded(ctx context.Context, report func(errs int64)) {
	defer func() { // HAZ goroutine-outside-recover
		if v := recover(); v != nil {
			log.Printf("pump: loop crashed: %v", v)
		}
	}()
	go p.reportEvery(ctx, time.Minute, report)
	p.wg.Add(1)
	p.loop(ctx)
}

// RunSupervised is RunGuarded with the reporter protected by its own
// deferred recover.
func (p *Pump) RunSupervised(ctx context.Context, report func(errs int64)) {
	defer func() {
		if v := recover(); v != nil {
			log.Printf("pump: loop crashed: %v", v)
		}
	}()
	go func() {
		defer func() {
			if v := recover(); v != nil {
				log.Printf("pump: reporter crashed: %v", v)
			}
		}()
		p.reportEvery(ctx, time.Minute, report)
	}()
	p.wg.Add(1)
	p.loop(ctx)
}

func (p *Pump) reportEvery(ctx context.Context, every time.Duration, report func(int64)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			report(p.Errors())
		}
	}
}

func (p *Pump) flushCounted() {
	if err := p.flush(); err != nil {
		p.errs.Add(1)
	}
}

// flush hands the current batch to out; a panicking out becomes an error.
func (p *Pump) flush() (err error) {
	defer recoverTo(&err)
	if len(p.batch) == 0 {
		return nil
	}
	batch := p.batch
	p.batch = nil
	return p.out(batch)
}

// Replay feeds the messages stored in segment files back through out, in
// order. It stops at the end of segments or when ctx is done.
func (p *Pump) Replay(ctx context.Context, segments <-chan string) error {
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case path, ok := <-segments:
			if !ok {
				break loop
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close() // HAZ defer-in-loop
			if err := p.replaySegment(f); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// ReplayFiles is Replay over a list of files, one file open at a time.
func (p *Pump) ReplayFiles(paths []string) error {
	for _, path := range paths {
		err := func() error {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			return p.replaySegment(f)
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *Pump) replaySegment(r io.Reader) error {
	sc := bufio.NewScanner(r)
	var batch []Msg
	for sc.Scan() {
		batch = append(batch, Msg{Topic: "replay", Body: append([]byte(nil), sc.Bytes()...)})
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(batch) == 0 {
		return nil
	}
	return p.out(batch)
}
