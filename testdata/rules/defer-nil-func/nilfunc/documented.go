package nilfunc

import "time"

// Elector renews a lease.
type Elector struct {
	id string

	// OnLost, if set by the embedding program, is called when Maintain gives up the lease.
	OnLost func()

	// OnRenew is called after every renewal.
	OnRenew func()

	// OnStart is optional; New fills in a no-op when none is given.
	OnStart func()
}

// NewElector builds an elector; OnStart always has a value.
func NewElector(id string, onStart func()) *Elector {
	e := &Elector{id: id, OnStart: onStart}
	if e.OnStart == nil {
		e.OnStart = func() {}
	}
	return e
}

func (e *Elector) renew() error { return nil }

// Maintain defers a hook its own comment calls optional, and nothing in the package sets it.
func (e *Elector) Maintain(every time.Duration, stop <-chan struct{}) error {
	defer e.OnLost() // want `the comment on Elector\.OnLost \(line \d+\) says it may be left unset`
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return nil
		case <-t.C:
			if err := e.renew(); err != nil {
				return err
			}
		}
	}
}

// An exported hook whose comment does not call it optional: its users are expected to set it.
func (e *Elector) RenewOnce() error {
	defer e.OnRenew()
	return e.renew()
}

// Optional by its comment, but the constructor gives it a value.
func (e *Elector) Start() error {
	defer e.OnStart()
	return e.renew()
}
