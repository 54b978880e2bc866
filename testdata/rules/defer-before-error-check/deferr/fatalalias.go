package deferr

import (
	"log"
	"os"
)

type lease struct{ name string }

func (l *lease) Release() { l.name = "" }

func takeLease(name string) (*lease, error) {
	if name == "" {
		return nil, os.ErrInvalid
	}
	return &lease{name: name}, nil
}

// The failure path ends in an exit held by a local variable: the defer only sees a lease.
func runLeased(name string, work func()) {
	fatal := log.Fatalf
	l, err := takeLease(name)
	if err != nil {
		fatal("lease: %v", err)
	}
	defer l.Release()
	work()
}

// A logging function value does not end it: reported.
func runLeasedLogged(name string, work func()) {
	warn := log.Printf
	l, err := takeLease(name)
	if err != nil {
		warn("lease: %v", err)
	}
	defer l.Release() // want `l from takeLease on line \d+ is used by the deferred l\.Release\(\) before err is checked`
	work()
}
