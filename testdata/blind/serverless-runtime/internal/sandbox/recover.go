package sandbox

import (
	"fmt"
	"log"
)

// safeCall runs f, converting a panic into an error. Kill implementations
// of plugin sandboxes are not trusted.
func safeCall(name string, f func()) (err error) {
	f()
	if r := recover(); r != nil { // HAZ recover-ineffective
		err = fmt.Errorf("%w: %s: %v", ErrHandlerPanic, name, r)
	}
	return err
}

// guard recovers a panic into *errp; it must be deferred directly.
func guard(name string, errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("%w: %s: %v", ErrHandlerPanic, name, r)
	}
}

// killGuarded kills sb, turning a panic into an error.
func killGuarded(sb Sandbox) (err error) {
	defer guard("kill "+sb.ID(), &err)
	sb.Kill()
	return nil
}

// KillIdle kills every idle sandbox and returns how many went quietly.
func (p *Pool) KillIdle() int {
	p.mu.Lock()
	idle := p.idle
	p.idle = make(map[string][]Sandbox)
	p.mu.Unlock()

	n := 0
	for _, list := range idle {
		for _, sb := range list {
			if err := safeCall("kill "+sb.ID(), sb.Kill); err != nil {
				log.Printf("sandbox: %v", err)
				continue
			}
			n++
		}
	}
	return n
}

// Shutdown closes the pool, noting any panic from a sandbox's Kill.
func (p *Pool) Shutdown(logf func(format string, args ...any)) {
	defer logf("sandbox: pool shut down (panic: %v)", recover()) // HAZ recover-ineffective
	p.Close()
}
