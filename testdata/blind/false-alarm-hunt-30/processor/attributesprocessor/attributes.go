// Package attributesprocessor inserts, updates, deletes, hashes and redacts
// span attributes according to a list of actions.
package attributesprocessor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"

	"example.com/fah30/consumer"
	"example.com/fah30/pdata"
)

// Action kinds.
const (
	ActionInsert = "insert"
	ActionUpdate = "update"
	ActionUpsert = "upsert"
	ActionDelete = "delete"
	ActionHash   = "hash"
)

// Action is one configured attribute action.
type Action struct {
	Key    string
	Value  string
	Action string
}

// Config configures the processor.
type Config struct {
	Actions []Action
	// RedactPatterns are regular expressions whose matches in attribute
	// values are replaced by "****".
	RedactPatterns []string
	// Workers bounds the parallelism used for large batches.
	Workers int
	// ParallelThreshold is the batch size above which work is split.
	ParallelThreshold int
}

// Processor applies the actions to every span.
type Processor struct {
	cfg     Config
	next    consumer.Traces
	redact  []*regexp.Regexp
	hashKey map[string]bool
	workers int

	hashed     atomic.Int64
	hashChunks atomic.Int64
	redacted   atomic.Int64
}

// New compiles cfg.
func New(cfg Config, next consumer.Traces) (*Processor, error) {
	p := &Processor{cfg: cfg, next: next, hashKey: map[string]bool{}, workers: max(cfg.Workers, 1)}
	for _, a := range cfg.Actions {
		switch a.Action {
		case ActionInsert, ActionUpdate, ActionUpsert, ActionDelete:
		case ActionHash:
			p.hashKey[a.Key] = true
		default:
			return nil, fmt.Errorf("attributes: unknown action %q for key %q", a.Action, a.Key)
		}
	}
	for _, expr := range cfg.RedactPatterns {
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("attributes: redact pattern %q: %w", expr, err)
		}
		p.redact = append(p.redact, re)
	}
	return p, nil
}

// ConsumeTraces applies the actions and passes the batch on.
func (p *Processor) ConsumeTraces(ctx context.Context, b pdata.Batch) error {
	if len(b.Spans) >= p.cfg.ParallelThreshold && p.workers > 1 {
		p.applyParallel(b.Spans)
	} else {
		for i := range b.Spans {
			p.applyActions(&b.Spans[i])
		}
	}
	if len(p.hashKey) > 0 {
		p.hashSpans(b.Spans)
	}
	if len(p.redact) > 0 {
		p.redactSpans(b.Spans)
	}
	return p.next.ConsumeTraces(ctx, b)
}

// applyParallel splits spans into one chunk per worker.
func (p *Processor) applyParallel(spans []pdata.Span) {
	var wg sync.WaitGroup
	for _, chunk := range chunks(spans, p.workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range chunk {
				p.applyActions(&chunk[i])
			}
		}()
	}
	wg.Wait()
}

func (p *Processor) applyActions(s *pdata.Span) {
	for _, a := range p.cfg.Actions {
		_, exists := s.Attributes[a.Key]
		switch a.Action {
		case ActionInsert:
			if exists {
				continue
			}
		case ActionUpdate:
			if !exists {
				continue
			}
		case ActionDelete:
			delete(s.Attributes, a.Key)
			continue
		case ActionHash:
			continue
		}
		if s.Attributes == nil {
			s.Attributes = make(map[string]string)
		}
		s.Attributes[a.Key] = a.Value
	}
}

func (p *Processor) hashSpan(s *pdata.Span) {
	for k, v := range s.Attributes {
		if p.hashKey[k] {
			sum := sha256.Sum256([]byte(v))
			s.Attributes[k] = hex.EncodeToString(sum[:])
		}
	}
}

// chunks cuts spans into at most n contiguous, non-overlapping chunks.
func chunks(spans []pdata.Span, n int) [][]pdata.Span {
	if n <= 1 || len(spans) < 2 {
		return [][]pdata.Span{spans}
	}
	size := (len(spans) + n - 1) / n
	out := make([][]pdata.Span, 0, n)
	for start := 0; start < len(spans); start += size {
		end := min(start+size, len(spans))
		out = append(out, spans[start:end:end])
	}
	return out
}
