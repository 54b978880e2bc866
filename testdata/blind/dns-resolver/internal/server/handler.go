package server

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/netip"
	"path/filepath"
	"sync"

	"example.com/dnsresolver/internal/cache"
	"example.com/dnsresolver/internal/dnsmsg"
	"example.com/dnsresolver/internal/metrics"
	"example.com/dnsresolver/internal/ratelimit"
	"example.com/dnsresolver/internal/resolver"
	"example.com/dnsresolver/internal/zone"
)

const opcodeUpdate = 5

var errUpdateRefused = errors.New("update refused by ACL")

// HandlerConfig wires a QueryHandler.
type HandlerConfig struct {
	Resolver   *resolver.Resolver
	Limiter    *ratelimit.Limiter
	Cache      *cache.Cache
	Zones      *zone.Store
	Notifier   *Notifier
	UpdateACL  []netip.Prefix
	JournalDir string
	Metrics    *metrics.Registry
	Log        *log.Logger
}

// QueryHandler is the production Handler: rate limiting, dynamic updates,
// and resolution.
type QueryHandler struct {
	resolver   *resolver.Resolver
	limiter    *ratelimit.Limiter
	cache      *cache.Cache
	zones      *zone.Store
	notifier   *Notifier
	updateACL  []netip.Prefix
	journalDir string
	metrics    *metrics.Registry
	log        *log.Logger

	mu       sync.Mutex
	journals map[string]*zone.Journal
}

// NewQueryHandler returns a handler for cfg.
func NewQueryHandler(cfg HandlerConfig) *QueryHandler {
	return &QueryHandler{
		resolver:   cfg.Resolver,
		limiter:    cfg.Limiter,
		cache:      cfg.Cache,
		zones:      cfg.Zones,
		notifier:   cfg.Notifier,
		updateACL:  cfg.UpdateACL,
		journalDir: cfg.JournalDir,
		metrics:    cfg.Metrics,
		log:        cfg.Log,
		journals:   make(map[string]*zone.Journal),
	}
}

// ServeDNS implements Handler.
func (h *QueryHandler) ServeDNS(ctx context.Context, w ResponseWriter, q *dnsmsg.Msg) {
	defer h.metrics.Track("query") // HAZ defer-func-result-not-called
	if addr := clientAddr(w.RemoteAddr()); addr.IsValid() && !h.limiter.Allow(addr) {
		h.metrics.Counter("ratelimited_total").Inc()
		return
	}
	if q.Opcode == opcodeUpdate {
		h.handleUpdate(w, q)
		return
	}
	resp, err := h.resolver.Resolve(ctx, q)
	if err != nil {
		h.log.Printf("resolve %v for %s: %v", q.Question, w.RemoteAddr(), err)
	}
	if err := w.WriteMsg(resp); err != nil {
		h.log.Printf("write reply to %s: %v", w.RemoteAddr(), err)
	}
}

// Journal returns the journal of origin, creating the handle on first use.
func (h *QueryHandler) Journal(origin string) *zone.Journal {
	h.mu.Lock()
	defer h.mu.Unlock()
	j, ok := h.journals[origin]
	if !ok {
		j = zone.OpenJournal(filepath.Join(h.journalDir, zone.FileNameFor(origin)+".jnl"))
		h.journals[origin] = j
	}
	return j
}

func (h *QueryHandler) updateAllowed(addr net.Addr) bool {
	ip := clientAddr(addr)
	for _, p := range h.updateACL {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// parseUpdate splits the update section of an RFC 2136 message into RRset
// deletions (class ANY) and additions.
func parseUpdate(q *dnsmsg.Msg) (del []dnsmsg.Question, add []dnsmsg.RR) {
	for _, rr := range q.Authority {
		if rr.Class == 255 && rr.TTL == 0 && len(rr.Data) == 0 {
			del = append(del, dnsmsg.Question{Name: rr.Name, Type: rr.Type})
			continue
		}
		add = append(add, rr)
	}
	return del, add
}

func (h *QueryHandler) reply(w ResponseWriter, q *dnsmsg.Msg, rcode dnsmsg.Rcode) {
	if err := w.WriteMsg(q.ErrorReply(rcode)); err != nil {
		h.log.Printf("write reply to %s: %v", w.RemoteAddr(), err)
	}
}

func (h *QueryHandler) audit(addr net.Addr, q *dnsmsg.Msg, err error) {
	status := "ok"
	if err != nil {
		status = err.Error()
	}
	h.log.Printf("audit: update from %s zone=%v adds/deletes=%d: %s", addr, q.Question, len(q.Authority), status)
}

// handleUpdate applies a dynamic update (RFC 2136, without prerequisites).
func (h *QueryHandler) handleUpdate(w ResponseWriter, q *dnsmsg.Msg) {
	var err error
	defer h.audit(w.RemoteAddr(), q, err) // HAZ defer-eager-evaluation
	if !h.updateAllowed(w.RemoteAddr()) || len(q.Question) != 1 {
		err = errUpdateRefused
		h.reply(w, q, dnsmsg.RcodeRefused)
		return
	}
	z, ok := h.zones.Get(q.Question[0].Name)
	if !ok {
		err = fmt.Errorf("not authoritative for %s", q.Question[0].Name)
		h.reply(w, q, dnsmsg.RcodeRefused)
		return
	}
	del, add := parseUpdate(q)
	serial, entries, err := z.Update(del, add)
	if err == nil {
		err = h.Journal(z.Origin).AppendBatch(entries)
	}
	if err != nil {
		h.reply(w, q, dnsmsg.RcodeServFail)
		return
	}
	for _, e := range entries {
		h.cache.DeleteName(e.RR.Name)
	}
	h.notifier.Notify(z.Origin, serial)
	h.reply(w, q, dnsmsg.RcodeSuccess)
}
