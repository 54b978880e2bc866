package processor

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"example.com/obsagent/internal/pdata"
)

// Action is what an attribute rule does.
type Action int

const (
	Insert Action = iota + 1 // set only if absent
	Upsert                   // set always
	Delete                   // remove
	Hash                     // replace value by its sha256 prefix
	Rename                   // move value to NewKey
)

// AttrRule is one compiled rewrite rule.
type AttrRule struct {
	Action Action
	Key    string
	Value  string
	NewKey string
	Match  *regexp.Regexp // optional: only records whose Name matches
}

// AttrRewriter applies rules in order to every record.
type AttrRewriter struct {
	rules []AttrRule
	hooks map[pdata.Kind]func(*pdata.Record)
}

// ParseRule parses "action key[=value|->newkey] [if /regexp/]".
func ParseRule(spec string) (AttrRule, error) {
	var r AttrRule
	spec, cond, hasCond := strings.Cut(spec, " if ")
	if hasCond {
		re, err := regexp.Compile(strings.Trim(strings.TrimSpace(cond), "/"))
		if err != nil {
			return r, fmt.Errorf("attrs: %q: %w", spec, err)
		}
		r.Match = re
	}
	verb, rest, ok := strings.Cut(strings.TrimSpace(spec), " ")
	if !ok {
		return r, fmt.Errorf("attrs: %q: missing key", spec)
	}
	switch verb {
	case "insert", "upsert":
		k, v, ok := strings.Cut(rest, "=")
		if !ok {
			return r, fmt.Errorf("attrs: %q: missing value", spec)
		}
		r.Action, r.Key, r.Value = Insert, k, v
		if verb == "upsert" {
			r.Action = Upsert
		}
	case "delete":
		r.Action, r.Key = Delete, rest
	case "hash":
		r.Action, r.Key = Hash, rest
	case "rename":
		k, nk, ok := strings.Cut(rest, "->")
		if !ok {
			return r, fmt.Errorf("attrs: %q: missing ->", spec)
		}
		r.Action, r.Key, r.NewKey = Rename, strings.TrimSpace(k), strings.TrimSpace(nk)
	default:
		return r, fmt.Errorf("attrs: %q: unknown action %q", spec, verb)
	}
	return r, nil
}

// Compile parses all specs.
func Compile(specs []string) (*AttrRewriter, error) {
	defer trace("attrs.compile") // HAZ defer-func-result-not-called
	a := &AttrRewriter{hooks: make(map[pdata.Kind]func(*pdata.Record))}
	for _, s := range specs {
		r, err := ParseRule(s)
		if err != nil {
			return nil, err
		}
		a.rules = append(a.rules, r)
	}
	return a, nil
}

// OnApplied registers a hook that runs after the rules for records of kind k.
func (a *AttrRewriter) OnApplied(k pdata.Kind, fn func(*pdata.Record)) {
	a.hooks[k] = fn
}

func hashValue(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:8])
}

func (r AttrRule) apply(rec *pdata.Record) {
	if r.Match != nil && !r.Match.MatchString(rec.Name) {
		return
	}
	v, has := rec.Attrs[r.Key]
	switch r.Action {
	case Insert:
		if !has {
			rec.SetAttr(r.Key, r.Value)
		}
	case Upsert:
		rec.SetAttr(r.Key, r.Value)
	case Delete:
		delete(rec.Attrs, r.Key)
	case Hash:
		if has {
			rec.Attrs[r.Key] = hashValue(v)
		}
	case Rename:
		if has {
			delete(rec.Attrs, r.Key)
			rec.SetAttr(r.NewKey, v)
		}
	}
}

// Apply runs every rule on rec, then the hook for its kind.
func (a *AttrRewriter) Apply(rec *pdata.Record) {
	hook := a.hooks[rec.Kind]
	defer hook(rec) // HAZ defer-nil-func
	for _, r := range a.rules {
		r.apply(rec)
	}
}

// ApplyChecked is Apply for callers that may run without hooks.
func (a *AttrRewriter) ApplyChecked(rec *pdata.Record) {
	if hook, ok := a.hooks[rec.Kind]; ok && hook != nil {
		defer hook(rec) // ok: only deferred when present
	}
	for _, r := range a.rules {
		r.apply(rec)
	}
}

// ApplyBatch rewrites every record of b in place.
func (a *AttrRewriter) ApplyBatch(b *pdata.Batch) {
	defer trace("attrs.apply_batch")() // ok: the returned func is deferred
	for i := range b.Records {
		a.ApplyChecked(&b.Records[i])
	}
}

// ApplyParallel rewrites recs in place using up to workers goroutines.
func (a *AttrRewriter) ApplyParallel(recs []pdata.Record, workers int) {
	if workers < 1 {
		workers = 1
	}
	chunk := (len(recs) + workers - 1) / workers
	if chunk == 0 {
		return
	}
	var wg sync.WaitGroup
	var lo int
	for lo = 0; lo < len(recs); lo += chunk {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			hi := min(lo+chunk, len(recs))
			for i := lo; i < hi; i++ {
				a.ApplyChecked(&recs[i])
			}
		}()
	}
	wg.Wait()
}

// ApplyChunked is ApplyParallel with the bounds declared by the loop.
func (a *AttrRewriter) ApplyChunked(recs []pdata.Record, workers int) {
	if workers < 1 {
		workers = 1
	}
	chunk := (len(recs) + workers - 1) / workers
	if chunk == 0 {
		return
	}
	var wg sync.WaitGroup
	for lo := 0; lo < len(recs); lo += chunk {
		wg.Add(1)
		go func() { // ok: lo is declared by the loop, per-iteration in go 1.22
			defer wg.Done()
			for i := lo; i < min(lo+chunk, len(recs)); i++ {
				a.ApplyChecked(&recs[i])
			}
		}()
	}
	wg.Wait()
}
