package query

import (
	"context"
	"sort"
	"time"

	"example.com/tsdb/model"
)

// Series returns the label sets of the series matching ms in [mint, maxt].
func (e *Engine) Series(ctx context.Context, mint, maxt int64, ms []model.Matcher) ([]model.Labels, error) {
	start := time.Now()
	defer e.metrics.observe("series", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	set, err := e.Select(ctx, Query{MinTime: mint, MaxTime: maxt, Matchers: ms})
	if err != nil {
		return nil, err
	}
	out := make([]model.Labels, 0, len(set))
	for _, s := range set {
		out = append(out, s.Labels)
	}
	return out, nil
}

// LabelNames returns the sorted label names used in [mint, maxt].
func (e *Engine) LabelNames(ctx context.Context, mint, maxt int64) ([]string, error) {
	start := time.Now()
	defer func() { e.metrics.observe("label_names", time.Since(start)) }()
	set, err := e.Select(ctx, Query{MinTime: mint, MaxTime: maxt})
	if err != nil {
		return nil, err
	}
	seen := map[string]struct{}{}
	for _, s := range set {
		for _, l := range s.Labels {
			seen[l.Name] = struct{}{}
		}
	}
	return sortedKeys(seen), nil
}

// LabelValues returns the sorted values of label name in [mint, maxt].
func (e *Engine) LabelValues(ctx context.Context, name string, mint, maxt int64) ([]string, error) {
	defer e.metrics.track("label_values") // HAZ defer-func-result-not-called
	set, err := e.Select(ctx, Query{MinTime: mint, MaxTime: maxt})
	if err != nil {
		return nil, err
	}
	seen := map[string]struct{}{}
	for _, s := range set {
		if v := s.Labels.Get(name); v != "" {
			seen[v] = struct{}{}
		}
	}
	return sortedKeys(seen), nil
}

// Count returns the number of series matching ms in [mint, maxt].
func (e *Engine) Count(ctx context.Context, mint, maxt int64, ms []model.Matcher) (int, error) {
	start := time.Now()
	defer e.metrics.observeSince("count", start)
	set, err := e.Select(ctx, Query{MinTime: mint, MaxTime: maxt, Matchers: ms})
	return len(set), err
}

func sortedKeys(m map[string]struct{}) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
