// Package cache is the gateway's response cache: a size-bounded LRU of whole
// responses plus the HTTP middleware that fills and serves it.
package cache

import (
	"container/list"
	"log"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Entry is one cached response.
type Entry struct {
	Key     string
	Status  int
	Header  http.Header
	Body    []byte
	Expires time.Time
}

func (e *Entry) size() int64 {
	n := int64(len(e.Key) + len(e.Body))
	for k, vv := range e.Header {
		n += int64(len(k))
		for _, v := range vv {
			n += int64(len(v))
		}
	}
	return n
}

// Stats is a point-in-time view of the cache counters.
type Stats struct {
	Hits      int64 `json:"hits"`
	Misses    int64 `json:"misses"`
	Evictions int64 `json:"evictions"`
	Bytes     int64 `json:"bytes"`
	Entries   int   `json:"entries"`
}

// Report logs the stats on one line.
func (s Stats) Report(logger *log.Logger) {
	logger.Printf("cache: entries=%d bytes=%d hits=%d misses=%d evictions=%d",
		s.Entries, s.Bytes, s.Hits, s.Misses, s.Evictions)
}

// LRU is a byte-bounded least-recently-used cache. All methods are safe for
// concurrent use; helpers with a Locked suffix or documented as such expect
// the caller to hold mu.
type LRU struct {
	mu    sync.Mutex
	max   int64
	size  int64
	ll    *list.List
	items map[string]*list.Element
	stats Stats

	// OnEvict, if set, is called with the key of every explicitly removed entry.
	OnEvict func(key string)
}

// NewLRU returns a cache holding at most maxBytes of entries.
func NewLRU(maxBytes int64) *LRU {
	return &LRU{max: maxBytes, ll: list.New(), items: make(map[string]*list.Element)}
}

// Get returns the live entry for key and marks it recently used.
func (c *LRU) Get(key string, now time.Time) (*Entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		c.stats.Misses++
		return nil, false
	}
	e := el.Value.(*Entry)
	if now.After(e.Expires) {
		c.removeElement(el)
		c.stats.Misses++
		return nil, false
	}
	c.ll.MoveToFront(el)
	c.stats.Hits++
	return e, true
}

// Add inserts or replaces e, evicting the least recently used entries until
// the cache fits. Entries larger than the whole cache are refused.
func (c *LRU) Add(e *Entry) bool {
	sz := e.size()
	if sz > c.max {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[e.Key]; ok {
		c.removeElement(el)
	}
	c.items[e.Key] = c.ll.PushFront(e)
	c.size += sz
	for c.size > c.max {
		c.removeOldest()
	}
	return true
}

// removeOldest evicts the tail. Caller holds mu.
func (c *LRU) removeOldest() {
	if el := c.ll.Back(); el != nil {
		c.removeElement(el)
		c.stats.Evictions++
	}
}

// removeElement unlinks el. Caller holds mu.
func (c *LRU) removeElement(el *list.Element) {
	e := c.ll.Remove(el).(*Entry)
	delete(c.items, e.Key)
	c.size -= e.size()
}

// Remove deletes key and calls OnEvict, if configured, after the removal.
func (c *LRU) Remove(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return false
	}
	if c.OnEvict != nil {
		defer c.OnEvict(key)
	}
	c.removeElement(el)
	return true
}

// Purge removes every key starting with prefix and returns how many went.
func (c *LRU) Purge(prefix string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for key, el := range c.items {
		if strings.HasPrefix(key, prefix) {
			c.removeElement(el)
			n++
		}
	}
	return n
}

// Stats returns a snapshot of the counters.
func (c *LRU) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Bytes = c.size
	s.Entries = c.ll.Len()
	return s
}

// Keys returns the cached keys in sorted order.
func (c *LRU) Keys() []string {
	c.mu.Lock()
	keys := make([]string, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	c.mu.Unlock()
	sort.Strings(keys)
	return keys
}

// expiringBefore lists keys whose entries expire before t, most recently used
// first, for the refresher.
func (c *LRU) expiringBefore(t time.Time) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var keys []string
	for el := c.ll.Front(); el != nil; el = el.Next() {
		if e := el.Value.(*Entry); e.Expires.Before(t) {
			keys = append(keys, e.Key)
		}
	}
	return keys
}

// Resize changes the byte budget, evicting entries that no longer fit. It
// refuses budgets below one kilobyte.
func (c *LRU) Resize(maxBytes int64) bool {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if maxBytes < 1<<10 {
		return false
	}
	c.max = maxBytes
	for c.size > c.max {
		c.removeOldest()
	}
	c.mu.Unlock()
	return true
}
