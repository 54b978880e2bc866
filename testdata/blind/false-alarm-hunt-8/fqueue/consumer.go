package fqueue

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Position is a consumer's place in the queue: the next record to deliver
// is record Rec (0-based) of segment Seg.
type Position struct {
	Seg, Rec int
}

// Consumer delivers sealed records to a handler and persists its position.
type Consumer struct {
	q      *Queue
	name   string
	handle func([]byte) error
	pos    Position
}

// NewConsumer returns a consumer named name; its cursor lives in the queue
// directory.
func (q *Queue) NewConsumer(name string, handle func([]byte) error) *Consumer {
	return &Consumer{q: q, name: name, handle: handle}
}

func (c *Consumer) cursorPath() string {
	return filepath.Join(c.q.dir, c.name+".cursor")
}

// Position returns the current position.
func (c *Consumer) Position() Position { return c.pos }

// LoadCursor reads the saved position; no cursor file means the beginning.
func (c *Consumer) LoadCursor() error {
	b, err := os.ReadFile(c.cursorPath())
	if errors.Is(err, fs.ErrNotExist) {
		c.pos = Position{}
		return nil
	}
	if err != nil {
		return err
	}
	_, err = fmt.Sscanf(string(b), "%d %d", &c.pos.Seg, &c.pos.Rec)
	return err
}

// SaveCursor persists the position atomically.
func (c *Consumer) SaveCursor() error {
	return writeFileAtomic(c.cursorPath(), fmt.Appendf(nil, "%d %d\n", c.pos.Seg, c.pos.Rec))
}

// Poll delivers every sealed record after the saved position and saves the
// cursor after each fully delivered segment. Delivery is at least once.
func (c *Consumer) Poll() (delivered int, err error) {
	ids, err := listSegments(c.q.dir)
	if err != nil {
		return 0, err
	}
	active := c.q.activeID()
	for _, id := range ids {
		if id < c.pos.Seg || id >= active {
			continue
		}
		skip := 0
		if id == c.pos.Seg {
			skip = c.pos.Rec
		}
		i := 0
		err := readSegment(c.q.segPath(id), func(rec []byte) error {
			i++
			if i <= skip {
				return nil
			}
			if err := c.handleOne(rec); err != nil {
				return err
			}
			delivered++
			c.pos = Position{Seg: id, Rec: i}
			return nil
		})
		if err != nil {
			return delivered, err
		}
		c.pos = Position{Seg: id + 1}
		if err := c.SaveCursor(); err != nil {
			return delivered, err
		}
	}
	return delivered, nil
}

// handleOne runs the handler on one record and logs a handler panic.
func (c *Consumer) handleOne(rec []byte) error {
	defer c.notePanic(recover()) // HAZ recover-ineffective
	return c.handle(rec)
}

func (c *Consumer) notePanic(v any) {
	if v != nil {
		c.q.logf("fqueue: consumer %s: handler panicked: %v", c.name, v)
	}
}

// Group runs several consumers of the same queue concurrently.
type Group struct {
	consumers []*Consumer
}

// NewGroup groups the consumers.
func NewGroup(cs ...*Consumer) *Group { return &Group{consumers: cs} }

// PollAll polls every consumer in its own goroutine and waits for all of
// them; the results are indexed like the consumers.
func (g *Group) PollAll() ([]int, error) {
	counts := make([]int, len(g.consumers))
	errs := make([]error, len(g.consumers))
	var wg sync.WaitGroup
	for i, c := range g.consumers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i], errs[i] = c.Poll()
		}()
	}
	wg.Wait()
	return counts, errors.Join(errs...)
}
