// Package zone holds authoritative zone data: parsing of master files,
// in-memory lookup, dynamic updates recorded in a journal, and atomic
// write-back to disk.
package zone

import (
	"fmt"
	"sort"
	"sync"

	"example.com/dnsresolver/internal/dnsmsg"
)

// Zone is the authoritative data for one origin. It is safe for concurrent
// use: queries take the read lock, updates the write lock.
type Zone struct {
	Origin string

	mu      sync.RWMutex
	serial  uint32
	records map[string][]dnsmsg.RR
}

// New returns an empty zone for origin.
func New(origin string) *Zone {
	return &Zone{Origin: dnsmsg.Canonical(origin), records: make(map[string][]dnsmsg.RR)}
}

// Serial returns the zone's current SOA serial.
func (z *Zone) Serial() uint32 {
	z.mu.RLock()
	defer z.mu.RUnlock()
	return z.serial
}

// Lookup returns the records of type t at name. A CNAME at name is returned
// for any type, as the resolver must follow it.
func (z *Zone) Lookup(name string, t dnsmsg.Type) ([]dnsmsg.RR, bool) {
	name = dnsmsg.Canonical(name)
	z.mu.RLock()
	defer z.mu.RUnlock()
	rrs, exists := z.records[name]
	if !exists {
		return nil, false
	}
	var out []dnsmsg.RR
	for _, rr := range rrs {
		if rr.Type == t || t == dnsmsg.TypeANY || rr.Type == dnsmsg.TypeCNAME {
			out = append(out, rr)
		}
	}
	return out, true
}

// SOA returns the zone's SOA record.
func (z *Zone) SOA() (dnsmsg.RR, bool) {
	rrs, _ := z.Lookup(z.Origin, dnsmsg.TypeSOA)
	for _, rr := range rrs {
		if rr.Type == dnsmsg.TypeSOA {
			return rr, true
		}
	}
	return dnsmsg.RR{}, false
}

// Add inserts rr, replacing an identical record.
func (z *Zone) Add(rr dnsmsg.RR) error {
	if !dnsmsg.IsSubdomain(rr.Name, z.Origin) {
		return fmt.Errorf("zone %s: %s is out of zone", z.Origin, rr.Name)
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	z.addLocked(rr)
	return nil
}

func (z *Zone) addLocked(rr dnsmsg.RR) {
	rr.Name = dnsmsg.Canonical(rr.Name)
	if rr.Class == 0 {
		rr.Class = dnsmsg.ClassINET
	}
	if rr.Type == dnsmsg.TypeSOA {
		if s, err := dnsmsg.SOASerial(rr.Data); err == nil {
			z.serial = s
		}
		z.removeLocked(rr.Name, dnsmsg.TypeSOA)
	}
	existing := z.records[rr.Name]
	for i, old := range existing {
		if old.Type == rr.Type && string(old.Data) == string(rr.Data) {
			existing[i] = rr
			return
		}
	}
	z.records[rr.Name] = append(existing, rr)
}

func (z *Zone) removeLocked(name string, t dnsmsg.Type) int {
	rrs := z.records[name]
	kept := rrs[:0]
	for _, rr := range rrs {
		if rr.Type != t && t != dnsmsg.TypeANY {
			kept = append(kept, rr)
		}
	}
	removed := len(rrs) - len(kept)
	if len(kept) == 0 {
		delete(z.records, name)
	} else {
		z.records[name] = kept
	}
	return removed
}

// Delete removes the RRset (name, t) and returns how many records went.
func (z *Zone) Delete(name string, t dnsmsg.Type) int {
	z.mu.Lock()
	defer z.mu.RUnlock() // HAZ defer-lock-mismatch
	return z.removeLocked(dnsmsg.Canonical(name), t)
}

// Apply replays journal entries on top of the loaded zone file.
func (z *Zone) Apply(entries []Entry) int {
	applied := 0
	for _, e := range entries {
		z.mu.Lock()
		defer z.mu.Unlock() // HAZ defer-in-loop
		if e.Serial <= z.serial {
			continue
		}
		switch e.Op {
		case OpAdd:
			z.addLocked(e.RR)
		case OpDelete:
			z.removeLocked(dnsmsg.Canonical(e.RR.Name), e.RR.Type)
		}
		z.serial = e.Serial
		applied++
	}
	return applied
}

// Update applies one dynamic update atomically and returns the new serial.
func (z *Zone) Update(del []dnsmsg.Question, add []dnsmsg.RR) (uint32, []Entry, error) {
	for _, rr := range add {
		if !dnsmsg.IsSubdomain(rr.Name, z.Origin) {
			return 0, nil, fmt.Errorf("zone %s: %s is out of zone", z.Origin, rr.Name)
		}
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	z.serial++
	var entries []Entry
	for _, q := range del {
		if z.removeLocked(dnsmsg.Canonical(q.Name), q.Type) > 0 {
			entries = append(entries, Entry{Serial: z.serial, Op: OpDelete, RR: dnsmsg.RR{Name: q.Name, Type: q.Type}})
		}
	}
	for _, rr := range add {
		z.addLocked(rr)
		entries = append(entries, Entry{Serial: z.serial, Op: OpAdd, RR: rr})
	}
	return z.serial, entries, nil
}

// Records returns every record, sorted by name and type.
func (z *Zone) Records() []dnsmsg.RR {
	z.mu.RLock()
	out := make([]dnsmsg.RR, 0, len(z.records))
	for _, rrs := range z.records {
		out = append(out, rrs...)
	}
	z.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Type < out[j].Type
	})
	return out
}
