//go:build go1.21

// This file predates the module's move to a newer go directive; its build
// line was kept when the slices-based helpers were added.

package pitjoin

import (
	"slices"
	"sync"
)

// uniqueSorted returns the distinct entities in sorted order.
func uniqueSorted(entities []string) []string {
	out := slices.Clone(entities)
	slices.Sort(out)
	return slices.Compact(out)
}

// WarmEntities calls warm once per distinct entity, concurrently, and returns
// how many entities it warmed.
func WarmEntities(entities []string, ix Index, warm func(entity string, rows []FeatureRow)) int {
	var wg sync.WaitGroup
	started := 0
	for _, e := range uniqueSorted(entities) {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			warm(e, ix[e])
		}()
		started++
	}
	wg.Wait()
	return started
}

// RefreshEntities is WarmEntities for callers that must not block: it
// returns a channel closed once every refresh is done.
func RefreshEntities(entities []string, ix Index, refresh func(entity string, rows []FeatureRow)) <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, e := range uniqueSorted(entities) {
		wg.Add(1)
		go func(entity string, rows []FeatureRow) {
			defer wg.Done()
			refresh(entity, rows)
		}(e, ix[e])
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}

// LoadIndex loads the rows of every entity concurrently and builds an index
// from them. Entities for which load returns nothing are left out.
func LoadIndex(entities []string, load func(entity string) []FeatureRow) Index {
	rows := make([][]FeatureRow, len(entities))
	var wg sync.WaitGroup
	launched := 0
	for i := range entities {
		if entities[i] == "" {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			rows[i] = load(entities[i])
		}()
		launched++
	}
	wg.Wait()
	if launched == 0 {
		return Index{}
	}
	var all []FeatureRow
	for _, rs := range rows {
		all = append(all, rs...)
	}
	return BuildIndex(all)
}
