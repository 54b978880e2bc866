package backend

// smoothWRR is nginx's smooth weighted round robin: every pick adds each
// peer's weight to its current value, selects the largest and subtracts the
// total from the winner. It is not safe for concurrent use; Pool guards it.
type smoothWRR struct {
	peers []*wrrPeer
}

type wrrPeer struct {
	b       *Backend
	current int
}

func newSmoothWRR(backends []*Backend) *smoothWRR {
	s := &smoothWRR{peers: make([]*wrrPeer, 0, len(backends))}
	for _, b := range backends {
		s.peers = append(s.peers, &wrrPeer{b: b})
	}
	return s
}

func (s *smoothWRR) next() *Backend {
	var best *wrrPeer
	total := 0
	for _, p := range s.peers {
		if !p.b.Available() {
			continue
		}
		w := p.b.Weight()
		p.current += w
		total += w
		if best == nil || p.current > best.current {
			best = p
		}
	}
	if best == nil {
		return nil
	}
	best.current -= total
	return best.b
}

// LeastConn picks the available backend with the fewest active connections
// relative to its weight; ties go to the first.
func LeastConn(backends []*Backend) *Backend {
	var best *Backend
	var bestScore float64
	for _, b := range backends {
		if !b.Available() {
			continue
		}
		score := float64(b.active.Load()+1) / float64(b.Weight())
		if best == nil || score < bestScore {
			best, bestScore = b, score
		}
	}
	return best
}
