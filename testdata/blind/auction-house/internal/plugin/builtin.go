package plugin

import "time"

// Proxy bids the minimum increment over the current price until Max.
type Proxy struct {
	Owner string
	Max   int64
}

func (p Proxy) Name() string { return "proxy:" + p.Owner }

func (p Proxy) Next(v LotView) (int64, bool) {
	next := v.Current + v.Increment
	limit := min(p.Max, v.Budget)
	if next > limit {
		return 0, false
	}
	return next, true
}

// Sniper stays quiet until the last Within of a lot, then bids up to Max.
type Sniper struct {
	Owner  string
	Max    int64
	Within time.Duration
}

func (s Sniper) Name() string { return "sniper:" + s.Owner }

func (s Sniper) Next(v LotView) (int64, bool) {
	if v.Remaining > s.Within {
		return 0, false
	}
	next := v.Current + v.Increment
	if next > min(s.Max, v.Budget) {
		return 0, false
	}
	return next, true
}
