package deferr

import (
	"errors"
	"log"
)

type exchangeStatus int

const (
	exchangeReady exchangeStatus = iota
	exchangeDone
)

type operation struct{ id int }

func (o *operation) release() {}

func (o *operation) run() error { return nil }

// beginExchange hands back an operation only when its status is exchangeReady; an answer known
// early (a cached or refused query) comes back as exchangeDone with no operation.
func beginExchange(q string) (*operation, string, exchangeStatus, error) {
	switch q {
	case "":
		return nil, "", exchangeDone, errors.New("empty question")
	case "cached":
		return nil, "answer", exchangeDone, nil
	}
	return &operation{id: len(q)}, "", exchangeReady, nil
}

// The status result says when the operation is valid: leaving on any other status settles it.
func exchange(q string) (string, error) {
	op, early, status, err := beginExchange(q)
	if status != exchangeReady {
		return early, err
	}
	defer op.release()
	return "", op.run()
}

// A status test that only logs lets a failed call go on to the defer.
func exchangeLogged(q string) error {
	op, _, status, err := beginExchange(q)
	if status != exchangeReady {
		log.Printf("exchange %q: status %d", q, status)
	}
	defer op.release() // want `op from beginExchange on line 45 is used by the deferred op\.release\(\) before err is checked`
	return errors.Join(err, op.run())
}
