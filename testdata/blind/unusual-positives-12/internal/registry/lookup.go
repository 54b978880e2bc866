package registry

import (
	"fmt"
	"time"
)

// Lookup returns a copy of the named service.
func (r *Registry) Lookup(name string) (Service, bool) {
	r.RLock()
	defer r.RUnlock()
	svc, ok := r.services[name]
	if !ok {
		return Service{}, false
	}
	return *svc, true
}

// lookupLocked is Lookup for callers holding r (read or write).
func (r *Registry) lookupLocked(name string) (Service, bool) {
	svc, ok := r.services[name]
	if !ok {
		return Service{}, false
	}
	return *svc, true
}

// Pick returns the first address of the first healthy service among names,
// looking them up one at a time without holding the lock in between.
func (r *Registry) Pick(names ...string) (string, error) {
	for _, n := range names {
		svc, ok := r.Lookup(n)
		if ok && svc.Healthy && len(svc.Addrs) > 0 {
			return svc.Addrs[0], nil
		}
	}
	return "", fmt.Errorf("registry: none of %v is healthy", names)
}

// Prune removes services not updated since cutoff, at most limit of them.
// A stale service that still reports healthy is a bookkeeping error.
func (r *Registry) Prune(cutoff time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, errBadLimit
	}
	names := r.sortedNames()
	n, i := 0, 0
	r.Lock() // HAZ lock-leaked-on-return
next:
	if i < len(names) {
		svc, ok := r.services[names[i]]
		i++
		if !ok || svc.Updated.After(cutoff) {
			goto next
		}
		if svc.Healthy {
			return n, fmt.Errorf("registry: %s is marked healthy but stale since %s", svc.Name, svc.Updated.Format(time.RFC3339))
		}
		delete(r.services, svc.Name)
		n++
		if n < limit {
			goto next
		}
	}
	r.Unlock()
	return n, nil
}

// Expire marks stale services down, retrying the scan with goto when a
// concurrent writer changed the set between the snapshot and the lock.
func (r *Registry) Expire(cutoff time.Time) (int, error) {
	attempts := 0
retry:
	names := r.sortedNames()
	r.Lock()
	if len(names) != len(r.services) {
		r.Unlock()
		attempts++
		if attempts > 3 {
			return 0, fmt.Errorf("registry: set kept changing during expire")
		}
		goto retry
	}
	n := 0
	for _, name := range names {
		if svc, ok := r.services[name]; ok && svc.Healthy && svc.Updated.Before(cutoff) {
			svc.Healthy = false
			n++
		}
	}
	r.Unlock()
	return n, nil
}

// Count returns the number of registered services.
func (r *Registry) Count() int {
	r.RLock()
	defer r.RUnlock()
	return len(r.services)
}
