package stream

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"example.com/unusualpositives2/internal/trace"
)

// Msg is one queued message.
type Msg struct {
	ID     string
	Offset int64
	Body   []byte
}

// Cursor tracks the committed offset of a consumer.
type Cursor struct {
	offset    int64
	committed int64
	commit    func(int64) error
}

// Checkpoint is a pending commit of one offset.
type Checkpoint struct {
	c      *Cursor
	offset int64
}

// Checkpoint captures the current offset for a later commit.
func (c *Cursor) Checkpoint() Checkpoint { return Checkpoint{c: c, offset: c.offset} }

// Advance moves the cursor past off.
func (c *Cursor) Advance(off int64) { c.offset = off + 1 }

// Commit persists the captured offset.
func (cp Checkpoint) Commit() {
	if err := cp.c.commit(cp.offset); err == nil {
		cp.c.committed = cp.offset
	}
}

// Consumer processes messages from its inbox.
type Consumer struct {
	inbox   chan Msg
	cursor  *Cursor
	rec     *trace.Recorder
	process func(Msg) error
	sem     chan struct{}
	log     *log.Logger
}

// NewConsumer returns a consumer with an inbox of size n.
func NewConsumer(n int, commit func(int64) error, process func(Msg) error, rec *trace.Recorder, l *log.Logger) *Consumer {
	return &Consumer{
		inbox:   make(chan Msg, n),
		cursor:  &Cursor{commit: commit},
		rec:     rec,
		process: process,
		sem:     make(chan struct{}, 4),
		log:     l,
	}
}

// Inbox is where producers deliver.
func (c *Consumer) Inbox() chan<- Msg { return c.inbox }

// Loop processes the inbox for the life of the process.
func (c *Consumer) Loop() {
	for msg := range c.inbox {
		span := c.rec.Start("consume")
		defer span.End() // HAZ defer-in-infinite-loop
		if err := c.process(msg); err != nil {
			c.log.Printf("consume %s: %v", msg.ID, err)
		}
	}
}

// LoopSpans processes the inbox with one span per message, ended per message.
func (c *Consumer) LoopSpans() {
	for msg := range c.inbox {
		func() {
			span := c.rec.Start("consume")
			defer span.End()
			if err := c.process(msg); err != nil {
				c.log.Printf("consume %s: %v", msg.ID, err)
			}
		}()
	}
}

// ConsumeBatch processes msgs and commits the offset reached.
func (c *Consumer) ConsumeBatch(msgs []Msg) error {
	defer c.cursor.Checkpoint().Commit() // HAZ defer-call-chain
	for _, m := range msgs {
		if err := c.process(m); err != nil {
			return err
		}
		c.cursor.Advance(m.Offset)
	}
	return nil
}

// ConsumeBatchCommitted commits the offset reached at exit.
func (c *Consumer) ConsumeBatchCommitted(msgs []Msg) error {
	defer func() { c.cursor.Checkpoint().Commit() }()
	for _, m := range msgs {
		if err := c.process(m); err != nil {
			return err
		}
		c.cursor.Advance(m.Offset)
	}
	return nil
}

func hold(sem chan struct{}) func() {
	sem <- struct{}{}
	return func() { <-sem }
}

// Handle processes one message within the consumer's concurrency limit.
func (c *Consumer) Handle(m Msg) error {
	defer hold(c.sem) // HAZ defer-func-result-not-called
	return c.process(m)
}

// HandleLimited is Handle with the release called.
func (c *Consumer) HandleLimited(m Msg) error {
	defer hold(c.sem)()
	return c.process(m)
}

// Importer loads spool directories.
type Importer struct {
	log  *log.Logger
	load func(name string, data []byte) error
}

// NewImporter returns an importer.
func NewImporter(load func(string, []byte) error, l *log.Logger) *Importer {
	return &Importer{log: l, load: load}
}

// ImportAll loads every .dat and .json file under the spool directories.
func (im *Importer) ImportAll(dirs []string) error {
	var errs []error
outer:
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, e := range entries {
			switch ext := filepath.Ext(e.Name()); {
			case e.IsDir():
				continue
			case ext == ".lock":
				im.log.Printf("import: %s is locked, skipping", dir)
				continue outer
			case ext == ".dat" || ext == ".json":
				f, err := os.Open(filepath.Join(dir, e.Name()))
				if err != nil {
					errs = append(errs, err)
					continue
				}
				defer f.Close() // HAZ defer-in-loop
				if err := im.loadFrom(e.Name(), f); err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	return errors.Join(errs...)
}

func (im *Importer) loadFrom(name string, f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	buf := make([]byte, st.Size())
	if _, err := f.ReadAt(buf, 0); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return im.load(strings.TrimSuffix(name, filepath.Ext(name)), buf)
}

// ImportDir loads one spool directory; each file is closed by the per-file
// function literal.
func (im *Importer) ImportDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		err := func() error {
			f, err := os.Open(filepath.Join(dir, e.Name()))
			if err != nil {
				return err
			}
			defer f.Close()
			return im.loadFrom(e.Name(), f)
		}()
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
