package queue

import (
	"context"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/matchmaker/internal/metrics"
	"example.com/matchmaker/internal/player"
)

// LobbyFormer turns a batch of matched players into a lobby.
type LobbyFormer interface {
	Form(ctx context.Context, key Key, players []*player.Player) error
}

// MatcherConfig configures every matcher of a registry.
type MatcherConfig struct {
	LobbySize int
	Interval  time.Duration
	MaxSpread int
	Former    LobbyFormer
	Metrics   *metrics.Registry
}

// Matcher forms lobbies from one queue on a ticker.
type Matcher struct {
	q      *Queue
	cfg    MatcherConfig
	formed atomic.Int64
	ctx    context.Context
}

// NewMatcher returns a matcher for q.
func NewMatcher(q *Queue, cfg MatcherConfig) *Matcher {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	return &Matcher{q: q, cfg: cfg, ctx: context.Background()}
}

// Formed returns how many lobbies this matcher has formed.
func (m *Matcher) Formed() int64 { return m.formed.Load() }

// Run ticks until ctx is cancelled. The ticker is stopped by a defer that
// sits outside the loop.
func (m *Matcher) Run(ctx context.Context) {
	m.ctx = ctx
	t := time.NewTicker(m.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			m.safeTick(now)
		}
	}
}

// safeTick runs one tick; a panic in a LobbyFormer must not kill the
// matcher goroutine.
func (m *Matcher) safeTick(now time.Time) {
	defer recover() // HAZ recover-ineffective
	m.tick(now)
}

// tick drops expired players and forms as many lobbies as it can.
func (m *Matcher) tick(now time.Time) {
	defer m.cfg.Metrics.Time("matcher_tick")()
	if expired := m.q.DrainExpired(now); len(expired) > 0 {
		m.cfg.Metrics.Add("queue_expired", int64(len(expired)))
	}
	m.formLobbies()
}

// formLobbies pops full lobbies off the queue while the head of the queue
// is fair enough to match.
func (m *Matcher) formLobbies() {
	defer m.cfg.Metrics.Time("form_lobbies") // HAZ defer-func-result-not-called
	for {
		spread, ok := m.q.SpreadOf(m.cfg.LobbySize)
		if !ok {
			return
		}
		if m.cfg.MaxSpread > 0 && spread > m.cfg.MaxSpread && m.q.OldestWait(time.Now()) < 30*time.Second {
			return
		}
		batch := m.q.PopN(m.cfg.LobbySize)
		if batch == nil {
			return
		}
		if err := m.cfg.Former.Form(m.ctx, m.q.Key(), batch); err != nil {
			log.Printf("matcher %s: form lobby: %v", m.q.Key(), err)
			if rerr := m.q.Requeue(batch); rerr != nil {
				log.Printf("matcher %s: requeue: %v", m.q.Key(), rerr)
			}
			return
		}
		m.formed.Add(1)
		m.cfg.Metrics.Inc("lobbies_formed")
	}
}

// StartMatchers starts one matcher goroutine per existing queue. The
// returned WaitGroup is done when all of them have stopped.
func StartMatchers(ctx context.Context, r *Registry, cfg MatcherConfig) *sync.WaitGroup {
	var wg sync.WaitGroup
	started := 0
	for _, q := range r.Queues() {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			NewMatcher(q, cfg).Run(ctx)
		}()
		started++
	}
	log.Printf("matchers: started %d", started)
	return &wg
}

// StartRegionMatchers starts matchers for every band of one region. Each
// goroutine gets its queue as an argument, so nothing is shared between
// iterations.
func StartRegionMatchers(ctx context.Context, r *Registry, region player.Region, cfg MatcherConfig) []*Matcher {
	var out []*Matcher
	for b := player.Bronze; b <= player.Diamond; b++ {
		m := NewMatcher(r.GetOrCreate(Key{Region: region, Band: b}), cfg)
		out = append(out, m)
		go func(m *Matcher) {
			m.Run(ctx)
		}(m)
	}
	return out
}
