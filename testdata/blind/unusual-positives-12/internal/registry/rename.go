package registry

import "fmt"

// Rename moves a service to a new name.
func (r *Registry) Rename(from, to string) error {
	r.Lock()
	defer r.Unlock()
	if _, taken := r.lookupLocked(to); taken {
		return fmt.Errorf("registry: %s already registered", to)
	}
	svc, ok := r.Lookup(from) // HAZ lock-reentry-under-defer
	if !ok {
		return fmt.Errorf("registry: no service %s", from)
	}
	svc.Name = to
	delete(r.services, from)
	r.services[to] = &svc
	r.notifyLocked(to)
	return nil
}

// Alias registers the service under an additional name.
func (r *Registry) Alias(name, alias string) error {
	r.Lock()
	defer r.Unlock()
	svc, ok := r.lookupLocked(name)
	if !ok {
		return fmt.Errorf("registry: no service %s", name)
	}
	svc.Name = alias
	r.services[alias] = &svc
	r.notifyLocked(alias)
	return nil
}
